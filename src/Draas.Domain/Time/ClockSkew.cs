using System.Globalization;

namespace Draas.Domain.Time;

/// <summary>
/// When the service's clock and a remote's (a site's Keystone, an array) disagree, lag and RPO computed
/// across them are wrong, so they are reported as unknown with a warning instead of being clamped. A
/// remote's time seen after it was observed (a recovery point newer than the reading that found it,
/// a token issued after it was received) is the evidence; small differences are network and rounding.
/// </summary>
public static class ClockSkew
{
    /// <summary>Differences up to this are not skew: request latency, and whole-second remote clocks.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>How far <paramref name="remoteTime"/> lies after <paramref name="observedAt"/> (the service's clock
    /// when it learned of it), when that is more than the tolerance; otherwise null.</summary>
    public static TimeSpan? Ahead(DateTimeOffset remoteTime, DateTimeOffset observedAt) =>
        remoteTime - observedAt is var ahead && ahead > Tolerance ? ahead : null;

    /// <summary>The warning for an array whose recovery point lies in the service's future.</summary>
    public static string ArrayAhead(string array, DateTimeOffset point, TimeSpan ahead) => string.Create(CultureInfo.InvariantCulture,
        $"clock skew: {array}'s recovery point of {point:yyyy-MM-dd HH:mm:ss}Z is {ahead.TotalSeconds:0.#} s ahead of this service's clock; lag and RPO are unknown until the clocks agree (check NTP on the array and on the service's host)");

    /// <summary>The warning for a site whose Keystone clock differs from the service's by <paramref name="skewSeconds"/> (positive: ahead).</summary>
    public static string SiteSkew(string site, double skewSeconds) => string.Create(CultureInfo.InvariantCulture,
        $"clock skew: {site}'s Keystone clock is {Math.Abs(skewSeconds):0.#} s {(skewSeconds > 0 ? "ahead of" : "behind")} this service's; times reported by that site's services are off by as much (check NTP)");

    /// <summary>True when a site check's measured skew is beyond the tolerance.</summary>
    public static bool Significant(double? skewSeconds) => skewSeconds is { } s && Math.Abs(s) > Tolerance.TotalSeconds;
}
