using Draas.Plugins.Pure;

namespace Draas.Tests.Pure;

[TestFixture]
public sealed class PureNamesTests
{
    [Test]
    public void Names_are_derived_so_a_retry_finds_the_same_object()
    {
        Assert.That(PureNames.Group("p1", "web"), Is.EqualTo("draas-p1-web"));
        Assert.That(PureNames.DrillCopy("r1", "cinder-pod::volume-1-cinder"), Is.EqualTo("draas-drill-r1-volume-1-cinder"));
        Assert.That(PureNames.FailoverCopy("r1", "vol"), Is.EqualTo(PureNames.FailoverCopy("r1", "vol")));
    }

    [Test]
    public void Long_names_fit_63_characters_and_stay_distinct()
    {
        var run = Guid.NewGuid().ToString();
        var a = PureNames.FailoverCopy(run, "volume-7f1d6a9e-2b9c-4f59-9d55-0c1f2b3a4d5e-cinder");
        var b = PureNames.FailoverCopy(run, "volume-7f1d6a9e-2b9c-4f59-9d55-0c1f2b3a4d5f-cinder");

        Assert.That(a, Has.Length.LessThanOrEqualTo(63));
        Assert.That(b, Has.Length.LessThanOrEqualTo(63));
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a, Does.Match("^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$"));
        Assert.That(a, Does.StartWith(PureNames.FailoverPrefix));
    }

    [Test]
    public void Characters_the_array_refuses_become_dashes()
    {
        Assert.That(PureNames.Group("Proj_1", "web tier/db"), Is.EqualTo("draas-Proj-1-web-tier-db"));
    }

    [Test]
    public void Only_drill_copies_count_as_drill_copies()
    {
        Assert.That(PureNames.IsDrillCopy(PureNames.DrillCopy("r", "v")), Is.True);
        Assert.That(PureNames.IsDrillCopy(PureNames.FailoverCopy("r", "v")), Is.False);
        Assert.That(PureNames.IsDrillCopy("volume-1-cinder"), Is.False);
    }
}
