using System.Text.RegularExpressions;

namespace Draas.Storage;

/// <summary>The shape of a recovery point id when a plugin does not say more: 1-128 characters of letters,
/// digits and <c>. _ - : @ /</c>, starting with a letter or digit.</summary>
public static partial class RecoveryPointIds
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}\\z")]
    private static partial Regex Plausible();

    public static bool IsPlausible(string id) => Plausible().IsMatch(id);
}
