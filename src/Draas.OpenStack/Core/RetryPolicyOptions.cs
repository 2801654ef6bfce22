namespace Draas.OpenStack.Core;

/// <summary>Bounds of the one retry policy; defaults fit a DR step that may wait a minute or so.</summary>
public sealed class RetryPolicyOptions
{
    /// <summary>Total attempts including the first.</summary>
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Cap of the exponential backoff.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>A service's Retry-After is obeyed up to this; a longer one fails the call instead of hanging a step.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}
