using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Draas.Plugins.Pure;

/// <summary>
/// Names on the array. Purity allows letters, digits and '-', 1 to 63 characters, starting and ending with
/// a letter or digit. Every name here is derived, never random, so a retried call finds what the first made.
/// A name too long keeps its readable start and gets a hash of the whole, so two long names never collide.
/// </summary>
public static partial class PureNames
{
    // An async point is the replicated group snapshot "source-array:group.suffix"; a pod's is "pod@unix-ms".
    [GeneratedRegex("^(?:[A-Za-z0-9][A-Za-z0-9-]{0,62}:[A-Za-z0-9][A-Za-z0-9-]{0,62}\\.[A-Za-z0-9][A-Za-z0-9-]{0,64}|[A-Za-z0-9][A-Za-z0-9-]{0,62}@[0-9]{1,19})\\z")]
    private static partial Regex RecoveryPointPattern();

    /// <summary>Whether <paramref name="id"/> is written as this plugin's recovery points are.</summary>
    public static bool IsRecoveryPointId(string id) => RecoveryPointPattern().IsMatch(id);

    public const int MaxLength = 63;
    public const string DrillPrefix = "draas-drill-";
    public const string FailoverPrefix = "draas-fo-";

    /// <summary>One protection group (async) or pod (sync, continuous) per plan.</summary>
    public static string Group(string projectId, string planName) => Fit($"draas-{projectId}-{planName}");

    public static string DrillCopy(string runId, string volume) => Fit($"{DrillPrefix}{runId}-{Leaf(volume)}");

    public static string FailoverCopy(string runId, string volume) => Fit($"{FailoverPrefix}{runId}-{Leaf(volume)}");

    public static bool IsDrillCopy(string name) => name.StartsWith(DrillPrefix, StringComparison.Ordinal);

    public static bool IsFailoverCopy(string name) => name.StartsWith(FailoverPrefix, StringComparison.Ordinal);

    public const string HoldPrefix = "draas-hold-";

    /// <summary>A run's hold of one volume's snapshot in its recovery point (see <see cref="Storage.IHoldRecoveryPoint"/>).</summary>
    public static string HoldCopy(string runId, string volume) => Fit($"{HoldPrefix}{runId}-{Leaf(volume)}");

    /// <summary>The group as the target array shows it: <c>source-array:pg</c>.</summary>
    public static string ReplicaGroup(string sourceArray, string group) => $"{sourceArray}:{group}";

    /// <summary>A member's snapshot inside a group snapshot; pod members drop their <c>pod::</c> prefix.</summary>
    public static string MemberSnapshot(string groupSnapshot, string volume) => $"{groupSnapshot}.{Leaf(volume)}";

    public static string InPod(string pod, string volume) => $"{pod}::{Leaf(volume)}";

    /// <summary>The volume's own name without <c>pod::</c> or <c>vgroup/</c>.</summary>
    public static string Leaf(string volume)
    {
        var pod = volume.LastIndexOf("::", StringComparison.Ordinal);
        var name = pod >= 0 ? volume[(pod + 2)..] : volume;
        var slash = name.LastIndexOf('/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }

    internal static string Fit(string raw)
    {
        var clean = new StringBuilder(raw.Length);
        foreach (var c in raw) clean.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        var name = clean.ToString().Trim('-');
        if (name.Length <= MaxLength) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)))[..10];
        return $"{name[..(MaxLength - hash.Length - 1)].TrimEnd('-')}-{hash}";
    }
}
