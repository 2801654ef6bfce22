namespace Draas.Domain.Protection;

/// <summary>How replication lag against a tenant's RPO target becomes a plan's status and its compliance tier.</summary>
public static class RpoRules
{
    /// <summary>Above this share of the target the plan is at risk: one more missed cycle may violate it.</summary>
    public const double AtRiskShare = 0.8;

    /// <summary>Up to this multiple of the target the RPO is exceeded; up to <see cref="SevereMultiple"/> severely; beyond, critical.</summary>
    public const double ExceededMultiple = 2;

    public const double SevereMultiple = 4;

    /// <param name="lagSeconds">The worst lag over the plan's groups; null when a group has no recovery point yet.</param>
    public static PlanStatus StatusFor(double? lagSeconds, bool anyBroken, int rpoTargetSeconds)
    {
        if (lagSeconds > rpoTargetSeconds) return PlanStatus.Violated;
        if (anyBroken || lagSeconds is null || lagSeconds > rpoTargetSeconds * AtRiskShare) return PlanStatus.AtRisk;
        return PlanStatus.Protected;
    }

    /// <summary>The compliance tier operators know (SRM/Zerto style); null while the lag is unknown.</summary>
    public static RpoTier? TierFor(double? lagSeconds, double rpoTargetSeconds) => lagSeconds switch
    {
        null => null,
        var l when l <= rpoTargetSeconds => RpoTier.WithinTarget,
        var l when l <= rpoTargetSeconds * ExceededMultiple => RpoTier.Exceeded,
        var l when l <= rpoTargetSeconds * SevereMultiple => RpoTier.SeverelyExceeded,
        _ => RpoTier.Critical,
    };
}

/// <summary>How far a plan's lag is past its RPO target. The numeric order is the severity (the metric's value).</summary>
public enum RpoTier
{
    WithinTarget = 0,
    Exceeded = 1,
    SeverelyExceeded = 2,
    Critical = 3,
}
