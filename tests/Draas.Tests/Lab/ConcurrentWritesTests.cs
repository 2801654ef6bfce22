using Draas.Storage;

namespace Draas.Tests.Lab;

/// <summary>Cinder, Nova, guest writes, the arrays' REST API and the replication schedule all touch the
/// same volumes from different threads; none of them may lose or reorder a write.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class ConcurrentWritesTests : LabTestBase
{
    [Test]
    public async Task Guest_writes_from_several_servers_while_the_schedule_fires_are_all_kept_in_order_and_every_replica_is_a_prefix()
    {
        const int Servers = 3, Writes = 30;
        var volumes = new List<string>();
        var servers = new List<string>();
        for (var i = 0; i < Servers; i++)
        {
            var volume = await AvailableVolumeAsync(SiteATenant, $"disk-{i}", sizeGiB: 1);
            volumes.Add(volume.Id);
            servers.Add((await ActiveServerAsync(SiteATenant, $"vm-{i}", volume.Id)).Id);
        }
        var project = (await SiteATenant.GetTokenInfoAsync(Ct)).Project!.Id;
        var group = (await Plugin.EnsureProtectedAsync(new ProtectionSpec(project, "busy", ArrayA, ArrayB, ReplicationMode.Async,
            TimeSpan.FromMinutes(10), RetentionPolicy.Default, [.. volumes.Select(OnArray)]), Ct)).Group;

        var writers = servers.Select((id, n) => Task.Run(async () =>
        {
            for (var w = 1; w <= Writes; w++) await GuestWriteAsync(Lab.SiteA, id, $"vm{n}-{w}");
        }, Ct));
        var clock = Task.Run(async () =>
        {
            for (var step = 0; step < 12; step++)
            {
                Lab.Advance(TimeSpan.FromMinutes(3));
                await RestA.ListVolumesAsync(new Draas.Plugins.Pure.Rest.Query(), Ct).CountAsync(Ct);
            }
        }, Ct);
        await Task.WhenAll([.. writers, clock]);
        Lab.Advance(TimeSpan.FromMinutes(10)); // one more scheduled snapshot after the last write

        for (var n = 0; n < Servers; n++)
        {
            var expected = Enumerable.Range(1, Writes).Select(w => $"vm{n}-{w}").ToList();
            Assert.That(await ContentsAsync(Lab.SiteA, OnArray(volumes[n])), Is.EqualTo(expected), $"vm{n}'s disk on array-a");
            var copy = await Plugin.PromoteVolumeAsync(new PromoteRequest(group, OnArray(volumes[n]), "drill1", PromotePurpose.Drill), Ct);
            Assert.That(await ContentsAsync(Lab.SiteB, copy.ArrayVolumeName), Is.EqualTo(expected), "the newest replica after the last write holds all of them");
        }
        var points = 0;
        await foreach (var point in Plugin.ListRecoveryPointsAsync(group, Ct))
        {
            var copy = await Plugin.PromoteVolumeAsync(new PromoteRequest(group, OnArray(volumes[0]), $"point{++points}", PromotePurpose.Drill, point.Id), Ct);
            var held = await ContentsAsync(Lab.SiteB, copy.ArrayVolumeName);
            Assert.That(held, Is.EqualTo(Enumerable.Range(1, held.Count).Select(w => $"vm0-{w}")), $"{point.Id} holds a prefix of the writes, in order");
        }
        Assert.That(points, Is.GreaterThanOrEqualTo(4), "the 10-minute schedule fired during the writes and after them");
    }
}
