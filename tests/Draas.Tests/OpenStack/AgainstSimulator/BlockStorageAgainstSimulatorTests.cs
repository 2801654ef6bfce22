using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Snapshots;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.BlockStorage.VolumeTypes;
using Draas.OpenStack.Core;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>The Cinder client against the simulator's Cinder over HTTP: the volumes, types, pools and
/// quotas a recovery reads and changes at the target site.</summary>
public class BlockStorageAgainstSimulatorTests : SimulatorFixture
{
    [Test]
    public async Task Listing_volumes_in_pages_smaller_than_the_count_returns_each_volume_once()
    {
        using var admin = Session(SiteA.Admin);
        var prefix = Unique("paged");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await admin.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = $"{prefix}-{i}" }, Ct)).Id);

        var listed = await ToListAsync(admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { Limit = 2, AllTenants = true }, Ct));

        Assert.That(listed.Select(v => v.Id), Is.Unique);
        Assert.That(listed.Where(v => v.Name?.StartsWith(prefix, StringComparison.Ordinal) == true).Select(v => v.Id), Is.EquivalentTo(ids),
            "pages of 2 over 5 volumes follow volumes_links to the end");
        var named = await ToListAsync(admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { Name = $"{prefix}-2" }, Ct));
        Assert.That(named.Select(v => v.Id), Is.EqualTo(new[] { ids[2] }));
        Assert.That(named.Single().Host, Is.EqualTo("site-a@pure#pure"), "an admin sees os-vol-host-attr:host");
    }

    [Test]
    public async Task A_volume_s_metadata_is_merged_then_replaced_and_it_can_be_marked_bootable()
    {
        using var admin = Session(SiteA.Admin);
        var volumes = admin.BlockStorage.Volumes;
        var volume = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("meta"), Metadata = new Dictionary<string, string> { ["draas:plan"] = "p1" } }, Ct);
        await volumes.WaitForStatusAsync(volume.Id, "available", Wait, Ct);

        var merged = await volumes.UpdateMetadataAsync(volume.Id, new Dictionary<string, string> { ["tier"] = "gold" }, Ct);
        Assert.That(merged, Is.EquivalentTo(new Dictionary<string, string> { ["draas:plan"] = "p1", ["tier"] = "gold" }));
        var replaced = await volumes.ReplaceMetadataAsync(volume.Id, new Dictionary<string, string> { ["draas:recovered"] = "yes" }, Ct);
        Assert.That(replaced, Is.EquivalentTo(new Dictionary<string, string> { ["draas:recovered"] = "yes" }));
        Assert.That(await volumes.GetMetadataAsync(volume.Id, Ct), Is.EquivalentTo(replaced));

        Assert.That((await volumes.GetAsync(volume.Id, Ct)).Bootable, Is.False);
        await volumes.SetBootableAsync(volume.Id, true, Ct);
        Assert.That((await volumes.GetAsync(volume.Id, Ct)).Bootable, Is.True);
        await volumes.SetBootableAsync(volume.Id, false, Ct);
        Assert.That((await volumes.GetAsync(volume.Id, Ct)).Bootable, Is.False);
    }

    [Test]
    public async Task A_private_replicated_volume_type_carries_its_extra_specs()
    {
        using var admin = Session(SiteA.Admin);
        var types = admin.BlockStorage.VolumeTypes;

        var type = await types.CreateAsync(new CreateVolumeTypeOptions
        {
            Name = Unique("dr-type"),
            Description = "replicated to site-b",
            IsPublic = false,
            ExtraSpecs = new Dictionary<string, string> { ["volume_backend_name"] = "pure" },
        }, Ct);
        var specs = await types.SetExtraSpecsAsync(type.Id, new Dictionary<string, string> { ["replication_enabled"] = "<is> True" }, Ct);

        Assert.That(specs, Does.ContainKey("replication_enabled").WithValue("<is> True"));
        Assert.That(await types.GetExtraSpecsAsync(type.Id, Ct), Is.EquivalentTo(new Dictionary<string, string> { ["volume_backend_name"] = "pure", ["replication_enabled"] = "<is> True" }));
        var shown = await types.GetAsync(type.Id, Ct);
        Assert.That((shown.Name, shown.Description, shown.IsPublic), Is.EqualTo((type.Name, "replicated to site-b", false)));
        Assert.That((await ToListAsync(types.ListAsync(false, Ct))).Select(t => t.Name), Does.Contain("pure").And.Not.Contain(type.Name));
        Assert.That((await ToListAsync(types.ListAsync(true, Ct))).Select(t => t.Id), Does.Contain(type.Id));

        await types.DeleteAsync(type.Id, Ct);
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => types.GetAsync(type.Id, Ct))!.IsNotFound, Is.True);
    }

    [Test]
    public async Task Pools_services_and_quotas_tell_the_operator_where_and_how_much_can_be_placed()
    {
        using var admin = Session(SiteA.Admin);
        var projectId = (await admin.GetTokenInfoAsync(Ct)).Project!.Id;

        var pool = (await admin.BlockStorage.Admin.ListPoolsAsync(Ct)).Single();
        Assert.That(pool.Name, Is.EqualTo("site-a@pure#pure"), "pools are named host@backend#pool");
        Assert.That(pool.Capabilities.VolumeBackendName, Is.EqualTo("pure"));
        Assert.That(pool.Capabilities.TotalCapacityGb, Is.GreaterThan(0));

        var services = await admin.BlockStorage.Admin.ListServicesAsync(null, null, Ct);
        var volumeService = services.Single(s => s.Binary == "cinder-volume");
        Assert.That((volumeService.Host, volumeService.Status, volumeService.State), Is.EqualTo(("site-a@pure", "enabled", "up")));
        Assert.That((await admin.BlockStorage.Admin.ListServicesAsync("cinder-volume", null, Ct)).Select(s => s.Binary), Is.All.EqualTo("cinder-volume"));
        Assert.That(await admin.BlockStorage.Admin.ListServicesAsync(null, "no-such-host", Ct), Is.Empty);

        var before = await admin.BlockStorage.Admin.GetQuotasAsync(projectId, Ct);
        var updated = await admin.BlockStorage.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int> { ["volumes"] = before.Volumes + 11, ["gigabytes"] = 4321 }, Ct);
        Assert.That((updated.Volumes, updated.Gigabytes), Is.EqualTo((before.Volumes + 11, 4321)));
        var after = await admin.BlockStorage.Admin.GetQuotasAsync(projectId, Ct);
        Assert.That((after.Volumes, after.Gigabytes, after.Snapshots), Is.EqualTo((before.Volumes + 11, 4321, before.Snapshots)));
    }

    [Test]
    public async Task Snapshots_of_a_volume_are_listed_by_volume_and_a_cascade_delete_takes_them_with_it()
    {
        using var admin = Session(SiteA.Admin);
        var volume = await admin.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("snapped") }, Ct);
        await admin.BlockStorage.Volumes.WaitForStatusAsync(volume.Id, "available", Wait, Ct);
        var snapshot = await admin.BlockStorage.Snapshots.CreateAsync(new CreateSnapshotOptions { VolumeId = volume.Id, Name = Unique("snap") }, Ct);
        await admin.BlockStorage.Snapshots.WaitForStatusAsync(snapshot.Id, "available", Wait, Ct);

        var byVolume = await ToListAsync(admin.BlockStorage.Snapshots.ListAsync(volume.Id, null, Ct));
        Assert.That(byVolume.Select(s => s.Id), Is.EqualTo(new[] { snapshot.Id }));
        Assert.That((await ToListAsync(admin.BlockStorage.Snapshots.ListAsync(null, true, Ct))).Select(s => s.Id), Does.Contain(snapshot.Id));
        Assert.That((await admin.BlockStorage.Snapshots.GetAsync(snapshot.Id, Ct)).VolumeId, Is.EqualTo(volume.Id));

        await admin.BlockStorage.Volumes.DeleteAsync(volume.Id, cascade: true, Ct);
        await admin.BlockStorage.Volumes.WaitForDeletedAsync(volume.Id, Wait, Ct);
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => admin.BlockStorage.Snapshots.GetAsync(snapshot.Id, Ct))!.IsNotFound, Is.True);
    }

    [Test]
    public async Task Managing_a_backend_volume_that_is_not_on_the_array_fails_the_wait_at_once()
    {
        using var admin = Session(SiteA.Admin);
        var managing = await admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions { Host = "site-a@pure#pure", Ref = ManageVolumeOptions.SourceName("no-such-replica"), Name = Unique("lost") }, Ct);
        var slow = new WaitOptions { Timeout = TimeSpan.FromMinutes(5), Interval = TimeSpan.FromMilliseconds(20) };
        var started = DateTimeOffset.UtcNow;

        var failed = Assert.ThrowsAsync<ResourceFailedException>(() => admin.BlockStorage.Volumes.WaitForStatusAsync(managing.Id, "available", slow, Ct));

        Assert.That(DateTimeOffset.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(10)), "the failed manage ends the wait, not the timeout");
        Assert.That(failed!.Failure, Is.EqualTo("volume went to status error"), "Cinder shows error_managing as error to API users");
        Assert.That((await admin.BlockStorage.Volumes.GetAsync(managing.Id, Ct)).Status, Is.EqualTo("error"));
    }

    [Test]
    public async Task Several_volumes_are_waited_for_with_one_list_per_look_and_the_one_that_failed_is_named()
    {
        using var admin = Session(SiteA.Admin);
        var volumes = admin.BlockStorage.Volumes;
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("many") }, Ct)).Id);

        var before = SiteA.Requests;
        var seen = await volumes.WaitForStatusesAsync(ids, "available", null, Wait, Ct);
        var requests = SiteA.Requests - before;

        Assert.That(seen.Values.Select(v => v!.Status), Is.All.EqualTo("available"));
        Assert.That(seen.Keys, Is.EquivalentTo(ids));
        Assert.That(requests, Is.LessThan(ids.Count), "one list per look, not a GET per volume");

        var lost = await admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions { Host = "site-a@pure#pure", Ref = ManageVolumeOptions.SourceName("no-such-replica"), Name = Unique("lost") }, Ct);
        var failed = Assert.ThrowsAsync<ResourceFailedException>(() => volumes.WaitForStatusesAsync([ids[0], lost.Id], "available", null, Wait, Ct));
        Assert.That(failed!.Failure, Is.EqualTo($"{lost.Id}: volume went to status error"));
    }

    [Test]
    public async Task A_managed_replica_is_unmanaged_and_shows_up_as_manageable_again()
    {
        using var admin = Session(SiteA.Admin);
        var name = Unique("replica");
        SiteA.Array.Seed(name, 2L << 30, connected: false);
        var managed = await admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions { Host = "site-a@pure#pure", Ref = ManageVolumeOptions.SourceName(name), Name = name }, Ct);
        Assert.That((await admin.BlockStorage.Volumes.WaitForStatusAsync(managed.Id, "available", Wait, Ct)).Size, Is.EqualTo(2));

        await admin.BlockStorage.Volumes.UnmanageAsync(managed.Id, Ct);
        await admin.BlockStorage.Volumes.WaitForDeletedAsync(managed.Id, Wait, Ct);

        var manageable = await ToListAsync(admin.BlockStorage.Manage.ListAsync("site-a@pure#pure", Ct));
        var again = manageable.Single(m => m.Reference.Values.Any(v => v.Contains(managed.Id, StringComparison.Ordinal)));
        Assert.That((again.SafeToManage, again.CinderId), Is.EqualTo((true, (string?)null)), "the array volume stays behind, no longer Cinder's");
    }
}
