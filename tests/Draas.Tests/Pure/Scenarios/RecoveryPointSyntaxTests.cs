using Draas.Storage;
using Draas.Workflows.Runs;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>
/// A run's recovery_point is refused unless it is latest, a time, or an id written as the plan's plugin writes
/// them: so every id the Pure plugin really hands out (async snapshots, pod points) must pass that check, and
/// near misses must not.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class RecoveryPointSyntaxTests
{
    [Test]
    public async Task Every_recovery_point_the_plugin_lists_or_promotes_from_is_accepted_as_a_runs_recovery_point()
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var asyncVolumes = await arrays.CreateVolumesAsync(arrays.A, "web");
        var asyncGroup = (await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Async, asyncVolumes))).Group;
        var podVolumes = await arrays.CreateVolumesAsync(arrays.A, "db");
        var pod = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(ReplicationMode.Continuous, podVolumes, plan: "db"));
        await arrays.Admin.AdvanceAsync(TimeSpan.FromHours(3));

        var ids = new List<string>();
        await foreach (var p in arrays.Plugin.ListRecoveryPointsAsync(asyncGroup)) ids.Add(p.Id);
        await foreach (var p in arrays.Plugin.ListRecoveryPointsAsync(pod.Group)) ids.Add(p.Id);
        ids.Add((await arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(pod.Group, pod.Members[0], "run1", PromotePurpose.Drill))).RecoveryPoint.Id);

        Assert.That(ids, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(ids, Has.Some.Contains(":").And.Some.Contains("@"), "async and pod points both");
        Assert.That(ids.Where(id => RecoveryPointChoice.Problem(id, [arrays.Plugin]) is not null), Is.Empty, string.Join(", ", ids));
    }

    [TestCase("latest", true)]
    [TestCase("2026-01-31T12:00:00Z", true)]
    [TestCase("2026-01-31T12:00Z", true)]
    [TestCase("2026-01-31T12:00:00.123+02:00", true)]
    [TestCase("array-a:draas-p1-web.17", true)]
    [TestCase("draas-p1-db@1767600000000", true)]
    [TestCase("2026-02-30T00:00:00Z", false)]
    [TestCase("2026-01-31T12:00:00", false)]
    [TestCase("2026-01-31", false)]
    [TestCase("Latest", false)]
    [TestCase("latest; DROP TABLE runs", false)]
    [TestCase("array-a:draas-p1-web", false)]
    [TestCase("-array:pg.1", false)]
    [TestCase("draas-p1-db@now", false)]
    [TestCase("", false)]
    public void A_recovery_point_is_latest_a_zoned_ISO_8601_time_or_a_Pure_point_id(string value, bool accepted)
    {
        using var plugin = new Draas.Plugins.Pure.PurePlugin();
        Assert.That(RecoveryPointChoice.Problem(value, [plugin]) is null, Is.EqualTo(accepted));
    }
}
