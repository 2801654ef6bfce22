namespace Draas.Domain.Protection;

/// <summary>How replication lag against a tenant's RPO target becomes a plan's status.</summary>
public static class RpoRules
{
    /// <summary>Above this share of the target the plan is at risk: one more missed cycle may violate it.</summary>
    public const double AtRiskShare = 0.8;

    /// <param name="lagSeconds">The worst lag over the plan's groups; null when a group has no recovery point yet.</param>
    public static PlanStatus StatusFor(double? lagSeconds, bool anyBroken, int rpoTargetSeconds)
    {
        if (lagSeconds > rpoTargetSeconds) return PlanStatus.Violated;
        if (anyBroken || lagSeconds is null || lagSeconds > rpoTargetSeconds * AtRiskShare) return PlanStatus.AtRisk;
        return PlanStatus.Protected;
    }
}
