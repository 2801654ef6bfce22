using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Identity;
using Draas.Plugins.Ceph;
using Draas.Storage;
using Draas.Tests.Support;

namespace Draas.Tests.RealCloud;

/// <summary>
/// The rbd plugin's answers about Cinder, checked against the real Cinder RBD driver (Zed) of tests/realcloud on a
/// real Ceph cluster: the <c>manage existing</c> ref it gives for its copy is one the driver takes, and the image it
/// maps a Cinder volume to is the one the driver keeps. Category RealCloud (./tox -e realcloud).
/// </summary>
[TestFixture]
[Category("RealCloud")]
// One fixture at a time: the category shares one set of clusters or clouds.
[NonParallelizable]
public sealed class CinderRbdManageTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;
    private readonly CephPlugin _plugin = new();
    private KeystoneSession _admin = null!;
    private CephImages _ceph = null!;
    private string _backend = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        var file = Environment.GetEnvironmentVariable(RealCloudTarget.EndpointsVariable);
        if (string.IsNullOrEmpty(file) || !File.Exists(file)) Assert.Ignore($"no real cloud: ./tox -e realcloud sets {RealCloudTarget.EndpointsVariable}");
        var site = JsonNode.Parse(await File.ReadAllTextAsync(file))!["sites"]![1]!;
        if (site["rbd"] is null) Assert.Ignore("the real cloud has no Cinder RBD backends (DRAAS_REALCLOUD_CEPH=0)");
        _ceph = CephImages.Of(site)!;
        _backend = site["rbd"]!["backend_host"]!.GetValue<string>();
        var admin = site["admin"]!;
        _admin = new KeystoneSession(new KeystoneSessionOptions
        {
            AuthUrl = site["auth_url"]!.GetValue<string>(),
            Region = site["region"]!.GetValue<string>(),
            Username = admin["username"]!.GetValue<string>(),
            Password = admin["password"]!.GetValue<string>(),
            UserDomainName = admin["user_domain_name"]!.GetValue<string>(),
            ProjectName = admin["project_name"]!.GetValue<string>(),
            ProjectDomainName = admin["project_domain_name"]!.GetValue<string>(),
        });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _admin?.Dispose();
        _plugin.Dispose();
    }

    [Test]
    public async Task The_real_Cinder_RBD_driver_imports_a_drill_copy_by_the_plugins_ref_and_keeps_it_where_the_plugin_looks()
    {
        // A drill copy as the plugin names it, 1 GiB plus a little: Cinder rounds the size up.
        var copy = $"draas-drill-{Guid.NewGuid():N}-volume-{Guid.NewGuid()}";
        await _ceph.CreateAsync(copy, "1100M", Ct);
        await _ceph.WriteBlockAsync(copy, 0, "copy-of-web-root", Ct);
        var (before, _) = await _ceph.ExportAsync(copy, [], Ct);

        var managing = await _admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
        {
            Host = _backend,
            Ref = _plugin.ManageExistingRef(copy),
            Name = "imported-drill-copy",
            VolumeType = "rbd",
        }, Ct);
        var volume = await _admin.BlockStorage.Volumes.WaitForStatusAsync(managing.Id, "available", null, Ct);
        try
        {
            Assert.That(volume.Size, Is.EqualTo(2), "1100 MiB rounds up to 2 GiB");
            Assert.That(volume.Host, Is.EqualTo(_backend));
            var image = _plugin.ArrayVolumeName(new CinderVolumeRef(volume.Id, volume.NameId, volume.Host, volume.ProviderId, volume.Metadata));
            Assert.That(image, Is.EqualTo($"volume-{volume.Id}"));
            var images = await _ceph.ImagesAsync(Ct);
            Assert.That(images, Does.Contain(image), "the driver renamed the copy to the name the plugin maps the volume to");
            Assert.That(images, Does.Not.Contain(copy));
            var (after, blocks) = await _ceph.ExportAsync(image, [0], Ct);
            Assert.That(after, Is.EqualTo(before), "the same bytes");
            Assert.That(blocks[0], Is.EqualTo("copy-of-web-root"));
        }
        finally
        {
            await _admin.BlockStorage.Volumes.DeleteAsync(volume.Id, false, Ct);
        }
        await Eventually.WaitForAsync(async () => (await _ceph.ImagesAsync(Ct)).Contains($"volume-{volume.Id}") ? null : "gone",
            "the driver to remove the image with the volume", TimeSpan.FromMinutes(2));
    }

    [Test]
    public async Task A_ref_naming_an_image_the_pool_does_not_hold_is_refused_by_the_real_driver()
    {
        var managing = await _admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
        {
            Host = _backend,
            Ref = _plugin.ManageExistingRef($"draas-drill-{Guid.NewGuid():N}-nothing"),
            Name = "imported-nothing",
            VolumeType = "rbd",
        }, Ct);
        var volume = await Eventually.WaitForAsync(async () =>
        {
            var v = await _admin.BlockStorage.Volumes.GetAsync(managing.Id, Ct);
            return v.Status is "creating" ? null : v;
        }, "Cinder to give up on the import", TimeSpan.FromMinutes(2));
        // Cinder keeps it as error_managing but shows "error" (as the simulator does).
        Assert.That(volume.Status, Is.EqualTo("error"));
        Assert.That(await _ceph.ImagesAsync(Ct), Does.Not.Contain($"volume-{volume.Id}"), "nothing was made on the cluster");
        await _admin.BlockStorage.Volumes.DeleteAsync(volume.Id, false, Ct);
    }
}
