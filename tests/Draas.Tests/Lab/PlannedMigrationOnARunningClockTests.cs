using Draas.OpenStack.BlockStorage.Manage;
using Draas.Simulators.Lab;
using Draas.Storage;

namespace Draas.Tests.Lab;

/// <summary>The lab with its clock running (600× real time), as the workflows will use it: the plugin's
/// replicate-now and the OpenStack clients' waiters poll on the lab's clock and finish on their own.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PlannedMigrationOnARunningClockTests : LabTestBase
{
    protected override DrLabOptions Options => new() { Acceleration = 600 };

    [Test]
    public async Task Replicating_now_before_a_planned_migration_loses_no_write_and_site_B_imports_the_copy_with_the_products_waiter()
    {
        var created = await SiteATenant.BlockStorage.Volumes.CreateAsync(new() { Size = 1, Name = "ledger" }, Ct);
        var volume = await SiteATenant.BlockStorage.Volumes.WaitForStatusAsync(created.Id, "available", null, Ct);
        var server = await SiteATenant.Compute.Servers.CreateAsync(new()
        {
            Name = "ledger-1",
            FlavorRef = "2",
            Networks = Draas.OpenStack.Compute.Servers.ServerNetworks.None,
            BlockDeviceMappingV2 = [Draas.OpenStack.Compute.Servers.BlockDeviceMapping.BootVolume(volume.Id)],
        }, Ct);
        await SiteATenant.Compute.Servers.WaitForStatusAsync(server.Id, "ACTIVE", null, Ct);
        var project = (await SiteATenant.GetTokenInfoAsync(Ct)).Project!.Id;
        var group = (await Plugin.EnsureProtectedAsync(new ProtectionSpec(project, "ledger", ArrayA, ArrayB, ReplicationMode.Async,
            TimeSpan.FromHours(4), RetentionPolicy.Default, [OnArray(volume.Id)]), Ct)).Group;
        for (var i = 1; i <= 3; i++) await GuestWriteAsync(Lab.SiteA, server.Id, $"entry-{i}");

        // The primary is quiet now (a planned migration stops it first); the last sync takes everything.
        var point = await Plugin.ReplicateNowAsync(group, TimeSpan.FromMinutes(30), Ct);
        var promoted = await Plugin.PromoteVolumeAsync(new PromoteRequest(group, OnArray(volume.Id), "mig1", PromotePurpose.Failover, point.Id), Ct);
        var managing = await SiteBAdmin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
        {
            Host = Lab.SiteB.CinderBackend,
            Ref = Plugin.ManageExistingRef(promoted.ArrayVolumeName),
            Name = "ledger",
            Bootable = true,
        }, Ct);
        var imported = await SiteBAdmin.BlockStorage.Volumes.WaitForStatusAsync(managing.Id, "available", null, Ct);

        Assert.That(imported.Bootable, Is.True);
        Assert.That(await ContentsAsync(Lab.SiteB, OnArray(imported.Id)), Is.EqualTo(new[] { "entry-1", "entry-2", "entry-3" }),
            "every write made before the migration");
        Assert.That(point.Time, Is.GreaterThan(volume.CreatedAt), "a fresh recovery point, not the schedule's");
    }
}
