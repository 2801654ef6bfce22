namespace Draas.Tests.Lab;

/// <summary>Site A's Cinder keeps its volumes on array-a: what a tenant does through OpenStack is what the
/// array's REST API shows, under the Pure Cinder driver's names.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class CinderOnFlashArrayTests : LabTestBase
{
    [Test]
    public async Task A_volume_created_in_site_As_Cinder_appears_on_array_a_under_the_Pure_drivers_name()
    {
        var volume = await AvailableVolumeAsync(SiteATenant, "db-data", sizeGiB: 2);

        var onArray = await RestA.FindVolumeAsync(OnArray(volume.Id), Ct);
        Assert.That(onArray, Is.Not.Null, "array-a holds volume-<id>-cinder");
        Assert.That(onArray!.Provisioned, Is.EqualTo(2 * GiB));
        Assert.That(onArray.Destroyed, Is.False);
        Assert.That(await RestB.FindVolumeAsync(OnArray(volume.Id), Ct), Is.Null, "the recovery array knows nothing of it yet");
        var seenByAdmin = await SiteAAdmin.BlockStorage.Volumes.GetAsync(volume.Id, Ct);
        Assert.That(seenByAdmin.Host, Is.EqualTo("cinder@pure-a#pool"), "the backend bound to array-a");
    }

    [Test]
    public async Task Deleting_a_volume_in_Cinder_destroys_it_on_the_array_without_eradicating_it()
    {
        var volume = await AvailableVolumeAsync(SiteATenant, "scratch", sizeGiB: 1);

        await SiteATenant.BlockStorage.Volumes.DeleteAsync(volume.Id, cascade: false, Ct);
        Lab.Advance(TimeSpan.FromSeconds(5));

        // The Pure driver's default (pure_eradicate_on_delete = False): destroyed, recoverable, not eradicated.
        var onArray = await RestA.FindVolumeAsync(OnArray(volume.Id), Ct);
        Assert.That(onArray?.Destroyed, Is.True);
        Assert.That(Lab.SiteA.Store.Find(OnArray(volume.Id)), Is.Null, "Cinder's backend no longer offers it");
    }

    [Test]
    public async Task A_servers_guest_write_reaches_its_boot_volume_on_the_array_and_the_volume_is_connected_while_it_runs()
    {
        var root = await AvailableVolumeAsync(SiteATenant, "web-root", sizeGiB: 1);
        var data = await AvailableVolumeAsync(SiteATenant, "web-data", sizeGiB: 1);
        var server = await ActiveServerAsync(SiteATenant, "web-1", root.Id, data.Id);

        await GuestWriteAsync(Lab.SiteA, server.Id, "order-41");
        await GuestWriteAsync(Lab.SiteA, server.Id, "order-42");
        await GuestWriteAsync(Lab.SiteA, server.Id, "log-1", volumeId: data.Id);

        Assert.That(await ContentsAsync(Lab.SiteA, OnArray(root.Id)), Is.EqualTo(new[] { "order-41", "order-42" }));
        Assert.That(await ContentsAsync(Lab.SiteA, OnArray(data.Id)), Is.EqualTo(new[] { "log-1" }));
        Assert.That(Lab.SiteA.Store.Find(OnArray(root.Id))!.Connected, Is.True, "Nova connected the boot volume to its compute host");

        await SiteATenant.Compute.Servers.DeleteAsync(server.Id, Ct);
        Lab.Advance(TimeSpan.FromSeconds(5));
        Assert.That(Lab.SiteA.Store.Find(OnArray(root.Id))!.Connected, Is.False, "deleting the server disconnects the volume");
        Assert.That(await ContentsAsync(Lab.SiteA, OnArray(root.Id)), Is.EqualTo(new[] { "order-41", "order-42" }), "the data outlives the server");
    }
}
