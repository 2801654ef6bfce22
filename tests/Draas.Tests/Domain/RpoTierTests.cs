using Draas.Domain.Protection;

namespace Draas.Tests.Domain;

/// <summary>The compliance tiers an operator reads off a plan with a 15-minute RPO target.</summary>
public sealed class RpoTierTests
{
    [TestCase(0, RpoTier.WithinTarget)]
    [TestCase(900, RpoTier.WithinTarget)]
    [TestCase(901, RpoTier.Exceeded)]
    [TestCase(1800, RpoTier.Exceeded)]
    [TestCase(1801, RpoTier.SeverelyExceeded)]
    [TestCase(3600, RpoTier.SeverelyExceeded)]
    [TestCase(3601, RpoTier.Critical)]
    [TestCase(86_400, RpoTier.Critical)]
    public void A_lag_falls_in_the_tier_of_its_multiple_of_the_target(double lag, RpoTier tier) =>
        Assert.That(RpoRules.TierFor(lag, 900), Is.EqualTo(tier));

    [Test]
    public void An_unknown_lag_has_no_tier_though_the_plan_is_at_risk()
    {
        Assert.That(RpoRules.TierFor(null, 900), Is.Null);
        Assert.That(RpoRules.StatusFor(null, false, 900), Is.EqualTo(PlanStatus.AtRisk));
    }

    [Test]
    public void Every_tier_past_the_target_is_a_violated_plan() =>
        Assert.That(new[] { 901.0, 2000, 5000 }.Select(l => RpoRules.StatusFor(l, false, 900)), Is.All.EqualTo(PlanStatus.Violated));
}
