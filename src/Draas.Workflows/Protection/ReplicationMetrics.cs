using Prometheus;

namespace Draas.Workflows.Protection;

/// <summary>The replication figures an operator alerts on, as the monitor last saw them (in the worker that ran it).</summary>
public static class ReplicationMetrics
{
    private static readonly string[] Labels = ["plan_id", "project_id"];

    public static readonly Gauge LagSeconds = Metrics.CreateGauge(
        "draas_replication_lag_seconds", "Age of the newest recovery point at the recovery array, worst over the plan's groups.", Labels);

    public static readonly Gauge RpoViolation = Metrics.CreateGauge(
        "draas_rpo_violation", "1 while the plan's lag exceeds its tenant's RPO target.", Labels);

    public static readonly Gauge RpoTier = Metrics.CreateGauge(
        "draas_rpo_tier", "RPO compliance tier: 0 within target, 1 exceeded (up to 2x), 2 severely exceeded (up to 4x), 3 critical; NaN while the lag is unknown.", Labels);

    public static void Record(Guid planId, string projectId, double? lagSeconds, bool violated, Domain.Protection.RpoTier? tier)
    {
        var labels = new[] { planId.ToString(), projectId };
        // No recovery point yet: the lag is unknown, reported as not-a-number rather than as a reassuring zero.
        LagSeconds.WithLabels(labels).Set(lagSeconds ?? double.NaN);
        RpoViolation.WithLabels(labels).Set(violated ? 1 : 0);
        RpoTier.WithLabels(labels).Set(tier is { } t ? (int)t : double.NaN);
    }
}
