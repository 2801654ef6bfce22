namespace Draas.Plugins.Pure;

/// <summary>Tunables of the <c>pure</c> plugin (per-array connection details come with each call).</summary>
public sealed record PurePluginOptions
{
    /// <summary>How often to look again while waiting for a transfer or a promotion.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a pod may stay <c>promoting</c> before promote gives up.</summary>
    public TimeSpan PromotionTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>A group is degraded when its newest recovery point is older than this many intervals.</summary>
    public double DegradedAfterIntervals { get; init; } = 2;
}
