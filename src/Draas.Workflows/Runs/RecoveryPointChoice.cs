using System.Globalization;
using System.Text.RegularExpressions;
using Draas.Storage;

namespace Draas.Workflows.Runs;

/// <summary>
/// What a run's <c>recovery_point</c> may be, exactly: <c>latest</c>, a recovery point id written as one of
/// the plan's plugins writes them, or an ISO 8601 time with its zone (the newest point at or before it).
/// Anything else is refused before a run is stored, dry runs included, so it never fails later in preflight.
/// </summary>
public static partial class RecoveryPointChoice
{
    public const string Latest = "latest";

    // Date, hours and minutes at least, optional seconds and fraction, and a zone: a time without one is ambiguous.
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,7})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})\\z")]
    private static partial Regex IsoTime();

    /// <summary>The time a recovery point value names, when it is a valid ISO 8601 time (not 30 February).</summary>
    public static DateTimeOffset? Time(string value) =>
        IsoTime().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    /// <summary>Why <paramref name="value"/> is not a recovery point the plan's plugins could give, or null.</summary>
    public static string? Problem(string value, IReadOnlyCollection<IStoragePlugin> plugins)
    {
        if (value == Latest || Time(value) is not null) return null;
        if (value.Length <= 128 && plugins.Count > 0 && plugins.Any(p => p.IsRecoveryPointId(value))) return null;
        return "recovery_point must be 'latest', a recovery point id as the plan's storage plugin writes them"
            + (plugins.Count > 0 ? $" ({string.Join(", ", plugins.Select(p => p.Name).Order())})" : "")
            + ", or an ISO 8601 time with its zone such as 2026-01-31T12:00:00Z";
    }
}
