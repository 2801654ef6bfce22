namespace Draas.Domain.Protection;

/// <summary>One reading of a replication group's lag by the monitor (kept for a bounded number of days).</summary>
public sealed class LagSample
{
    public long Id { get; set; }
    public Guid GroupId { get; set; }
    public Guid PlanId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Null when the lag was unknown (no recovery point, or the array did not answer).</summary>
    public double? LagSeconds { get; set; }
}
