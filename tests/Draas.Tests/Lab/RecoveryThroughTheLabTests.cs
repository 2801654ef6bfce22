using Draas.Storage;

namespace Draas.Tests.Lab;

/// <summary>The product's recovery path across both sites, every hop over HTTP with the product's own
/// clients: Cinder at site A, the Pure plugin on array-a and array-b, Cinder's manage-existing at site B.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class RecoveryThroughTheLabTests : LabTestBase
{
    [Test]
    public async Task A_protected_tenants_volumes_ship_to_array_b_and_site_B_imports_promoted_copies_holding_exactly_the_writes_before_the_recovery_point()
    {
        var root = await AvailableVolumeAsync(SiteATenant, "web-root", sizeGiB: 1);
        var data = await AvailableVolumeAsync(SiteATenant, "web-data", sizeGiB: 2);
        var server = await ActiveServerAsync(SiteATenant, "web-1", root.Id, data.Id);
        await GuestWriteAsync(Lab.SiteA, server.Id, "root-before-1");
        await GuestWriteAsync(Lab.SiteA, server.Id, "data-before-1", data.Id);

        var project = (await SiteATenant.GetTokenInfoAsync(Ct)).Project!.Id;
        var protection = await Plugin.EnsureProtectedAsync(new ProtectionSpec(project, "web", ArrayA, ArrayB, ReplicationMode.Async,
            TimeSpan.FromHours(1), RetentionPolicy.Default, [OnArray(root.Id), OnArray(data.Id)]), Ct);
        var group = protection.Group;
        var members = await RestA.ListGroupVolumesAsync(group.Name, Ct);
        Assert.That(members.Select(m => m.Member.Name), Is.EquivalentTo(new[] { OnArray(root.Id), OnArray(data.Id) }),
            "array-a's protection group holds exactly the tenant's Cinder volumes");

        Lab.Advance(TimeSpan.FromMinutes(30));
        await GuestWriteAsync(Lab.SiteA, server.Id, "root-before-2");
        Assert.That((await Plugin.GetReplicationStatusAsync(group, Ct)).Latest, Is.Null, "nothing has shipped before the interval");

        Lab.Advance(TimeSpan.FromMinutes(35)); // the hourly schedule fires and the snapshot ships to array-b
        await GuestWriteAsync(Lab.SiteA, server.Id, "root-after-1");
        await GuestWriteAsync(Lab.SiteA, server.Id, "data-after-1", data.Id);
        var status = await Plugin.GetReplicationStatusAsync(group, Ct);
        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Healthy), status.Detail);
        var point = status.Latest!;

        var expected = new Dictionary<string, string[]>
        {
            [root.Id] = ["root-before-1", "root-before-2"],
            [data.Id] = ["data-before-1"],
        };
        foreach (var source in new[] { root, data })
        {
            var promoted = await Plugin.PromoteVolumeAsync(new PromoteRequest(group, OnArray(source.Id), "run1", PromotePurpose.Failover), Ct);
            Assert.That(promoted.RecoveryPoint.Id, Is.EqualTo(point.Id));

            var imported = await ManageAsync(promoted.ArrayVolumeName, source.Name!, bootable: source == root);

            Assert.That(imported.Status, Is.EqualTo("available"), source.Name);
            Assert.That(imported.Size, Is.EqualTo(source.Size), "sized from the array copy");
            Assert.That(imported.Host, Is.EqualTo("cinder@pure-b#pool"));
            Assert.That(await RestB.FindVolumeAsync(promoted.ArrayVolumeName, Ct), Is.Null, "the driver renamed the copy");
            var recovered = await ContentsAsync(Lab.SiteB, OnArray(imported.Id));
            var primary = await WritesAsync(Lab.SiteA, OnArray(source.Id));
            Assert.That(recovered, Is.EqualTo(primary.Where(w => w.Time <= point.Time).Select(w => w.Data)),
                "exactly the primary's writes up to the recovery point");
            Assert.That(recovered, Is.EqualTo(expected[source.Id]));
        }
        Assert.That(await ContentsAsync(Lab.SiteA, OnArray(root.Id)), Does.Contain("root-after-1"), "the primary keeps running untouched");
    }

    [Test]
    public async Task Unmanaging_an_imported_volume_leaves_it_on_the_array_where_Cinder_can_import_it_again()
    {
        // What a promote leaves on the recovery array: a plain volume with the replicated data.
        await RestB.CreateVolumeAsync("draas-fo-run9-db", 3 * GiB, Ct);
        await Lab.FlashArray.Admin.WriteAsync("array-b", "draas-fo-run9-db", "row-1", cancellationToken: Ct);
        var imported = await ManageAsync("draas-fo-run9-db", "db");
        Assert.That(imported.Status, Is.EqualTo("available"));
        Assert.That(imported.Size, Is.EqualTo(3));

        await SiteBAdmin.BlockStorage.Volumes.UnmanageAsync(imported.Id, Ct);
        Lab.Advance(TimeSpan.FromSeconds(5));

        var gone = Assert.ThrowsAsync<Draas.OpenStack.OpenStackException>(() => SiteBAdmin.BlockStorage.Volumes.GetAsync(imported.Id, Ct));
        Assert.That(gone!.IsNotFound, Is.True, "Cinder forgot the volume");
        // Like the Pure driver: the array volume stays, renamed with an -unmanaged suffix.
        var left = await RestB.FindVolumeAsync(OnArray(imported.Id) + "-unmanaged", Ct);
        Assert.That(left, Is.Not.Null);
        Assert.That(left!.Destroyed, Is.False);
        Assert.That(left.Provisioned, Is.EqualTo(3 * GiB));
        Assert.That(await ContentsAsync(Lab.SiteB, left.Name), Is.EqualTo(new[] { "row-1" }));

        var offered = await SiteBAdmin.BlockStorage.Manage.ListAsync(Lab.SiteB.CinderBackend, Ct).ToListAsync(Ct);
        Assert.That(offered.Single(m => m.Reference["source-name"] == left.Name).SafeToManage, Is.True);
        var again = await ManageAsync(left.Name, "db");
        Assert.That(again.Status, Is.EqualTo("available"));
        Assert.That(await ContentsAsync(Lab.SiteB, OnArray(again.Id)), Is.EqualTo(new[] { "row-1" }));
    }
}
