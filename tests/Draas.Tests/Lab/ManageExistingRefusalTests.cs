using Draas.OpenStack.Core;

namespace Draas.Tests.Lab;

/// <summary>Site B's Cinder refuses to import what the Pure driver refuses: a volume connected to a host,
/// or one Cinder already manages. The request is accepted, the import ends in <c>error</c> (Cinder's error_managing as the API shows it), and
/// the array volume is left exactly as it was.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class ManageExistingRefusalTests : LabTestBase
{
    [Test]
    public async Task An_array_volume_still_connected_to_a_host_cannot_be_imported()
    {
        await RestB.CreateVolumeAsync("draas-fo-run3-app", GiB, Ct);
        // A host outside Cinder still has it connected (the array's connections are the store's to keep).
        Assert.That(Lab.SiteB.Store.SetConnected("draas-fo-run3-app", connected: true), Is.True);

        var offered = await SiteBAdmin.BlockStorage.Manage.ListAsync(Lab.SiteB.CinderBackend, Ct).ToListAsync(Ct);
        var entry = offered.Single(m => m.Reference["source-name"] == "draas-fo-run3-app");
        Assert.That(entry.SafeToManage, Is.False);
        Assert.That(entry.ReasonNotSafe, Is.EqualTo("Volume connected to host(s)"));

        var refused = await ManageAsync("draas-fo-run3-app", "app");

        Assert.That(refused.Status, Is.EqualTo("error"), "real Cinder shows error_managing as error");
        var failed = Assert.ThrowsAsync<ResourceFailedException>(() =>
            SiteBAdmin.BlockStorage.Volumes.WaitForStatusAsync(refused.Id, "available", null, Ct));
        Assert.That(failed!.Message, Does.Contain("error"), "a waiting workflow step fails at once with Cinder's status");
        Assert.That(await RestB.FindVolumeAsync("draas-fo-run3-app", Ct), Is.Not.Null, "not renamed");
        Assert.That(await RestB.FindVolumeAsync(OnArray(refused.Id), Ct), Is.Null);
    }

    [Test]
    public async Task A_volume_Cinder_already_manages_cannot_be_imported_a_second_time()
    {
        var owned = await AvailableVolumeAsync(SiteBAdmin, "owned", sizeGiB: 1);

        var offered = await SiteBAdmin.BlockStorage.Manage.ListAsync(Lab.SiteB.CinderBackend, Ct).ToListAsync(Ct);
        var entry = offered.Single(m => m.Reference["source-name"] == OnArray(owned.Id));
        Assert.That(entry.SafeToManage, Is.False);
        Assert.That(entry.ReasonNotSafe, Is.EqualTo("Volume already managed"));
        Assert.That(entry.CinderId, Is.EqualTo(owned.Id));

        var refused = await ManageAsync(OnArray(owned.Id), "owned-again");

        Assert.That(refused.Status, Is.EqualTo("error"), "real Cinder shows error_managing as error");
        Assert.That((await SiteBAdmin.BlockStorage.Volumes.GetAsync(owned.Id, Ct)).Status, Is.EqualTo("available"), "the owner is untouched");
        Assert.That(await RestB.FindVolumeAsync(OnArray(owned.Id), Ct), Is.Not.Null, "still under the owner's name");
        Assert.That(await RestB.FindVolumeAsync(OnArray(refused.Id), Ct), Is.Null);
    }
}
