using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>A run promotes up to three volumes at once (max_parallel), through one plugin instance.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class ParallelPromoteTests
{
    [TestCase(ReplicationMode.Async)]
    [TestCase(ReplicationMode.Continuous)]
    public async Task Three_volumes_promoted_at_once_each_get_exactly_one_copy(ReplicationMode mode)
    {
        await using var arrays = await SimulatedArrays.StartAsync();
        var volumes = await arrays.CreateVolumesAsync(arrays.A, "v1", "v2", "v3");
        var protection = await arrays.Plugin.EnsureProtectedAsync(arrays.Spec(mode, volumes));
        await arrays.WriteAsync(arrays.A, protection.Members, "w", 2);
        if (mode == ReplicationMode.Async) await arrays.Plugin.ReplicateNowAsync(protection.Group, TimeSpan.FromMinutes(10));
        else await arrays.Admin.AdvanceAsync(TimeSpan.FromMinutes(1));

        // Each volume twice, all at once: a retried step racing the first attempt.
        var promoted = await Task.WhenAll(volumes.Concat(volumes).Select(v =>
            arrays.Plugin.PromoteVolumeAsync(new PromoteRequest(protection.Group, v, "run1", PromotePurpose.Failover))));

        Assert.That(promoted.Select(p => p.ArrayVolumeName).Distinct().Count(), Is.EqualTo(3));
        Assert.That(await arrays.VolumeNamesAsync(arrays.B, "draas-fo-*"), Has.Count.EqualTo(3));
        foreach (var p in promoted) Assert.That(await arrays.Admin.ReadAsync("array-b", p.ArrayVolumeName), Has.Count.EqualTo(2));
    }
}
