using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>A plan's tenant is captured from the DR lab's primary site into versioned manifests that show drift.</summary>
[TestFixture]
public sealed class ManifestCaptureTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private RunningService _service = null!;
    private DrLab _lab = null!;
    private KeystoneSession _tenant = null!;
    private string _plan = null!;
    private string _server = null!;
    private string _bootVolume = null!;
    private string _dataVolume = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await RunningService.StartAsync();
        _lab = await DrLab.StartAsync(new DrLabOptions { Delays = SimDelays.None });
        var siteA = _lab.SiteA.OpenStack;
        var project = siteA.ProjectId("demo");
        _service.Keystone.AddToken("gAAAAAdemo-member", "demo-user", "demo", project, ["member", "reader"]);

        async Task<string> Register(SimSite site) => (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, new
        {
            site = new { name = site.Name, auth_url = site.Admin.AuthUrl, region_name = site.Region, username = site.Admin.Username, project_name = site.Admin.ProjectName, password = site.Admin.Password },
        })).Body!["site"]!["id"]!.GetValue<string>();
        var primary = await Register(siteA);
        var recovery = await Register(_lab.SiteB.OpenStack);
        // The plan's volumes must be replicable: array-a serves site-a's Cinder and replicates to array-b.
        async Task<string> Array(Draas.Simulators.Lab.LabSite s, string site, string? peer) => (await _service.SendAsync(HttpMethod.Post, "/v1/arrays", Admin, new
        {
            array = new { name = s.ArrayName, site_id = site, plugin = "pure", endpoint = s.ArrayUrl.ToString(), api_token = s.ApiToken, cinder_backend = s.CinderBackend, peer_array_id = peer },
        })).Body!["array"]!["id"]!.GetValue<string>();
        await Array(_lab.SiteA, primary, await Array(_lab.SiteB, recovery, null));
        var protection = (await _service.SendAsync(HttpMethod.Post, "/v1/protections", Admin, new
        {
            protection = new { name = "demo-tenant", primary_site_id = primary, primary_project_id = project, recovery_site_id = recovery },
        })).Body!["protection"]!["id"]!.GetValue<string>();

        // The tenant's own workload, built through our clients as the tenant's member would.
        _tenant = new KeystoneSession(new KeystoneSessionOptions
        {
            AuthUrl = siteA.Demo.AuthUrl,
            Region = siteA.Region,
            Username = "demo",
            Password = siteA.Demo.Password,
            UserDomainName = "Default",
            ProjectName = "demo",
            ProjectDomainName = "Default",
        });
        var ct = CancellationToken.None;
        await _tenant.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = "ops-key", PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example" }, ct);
        _bootVolume = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 10, Name = "web-boot", VolumeType = "pure-replicated" }, ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(_bootVolume, "available", null, ct);
        await _tenant.BlockStorage.Volumes.SetBootableAsync(_bootVolume, true, ct);
        _dataVolume = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 20, Name = "web-data", VolumeType = "pure-replicated" }, ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(_dataVolume, "available", null, ct);
        _server = (await _tenant.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = "web-1",
            FlavorRef = "2",
            KeyName = "ops-key",
            Networks = ServerNetworks.None,
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(_bootVolume)],
            Metadata = new Dictionary<string, string> { ["role"] = "web" },
        }, ct)).Id;
        await _tenant.Compute.Servers.WaitForStatusAsync(_server, "ACTIVE", null, ct);
        await _tenant.Compute.VolumeAttachments.AttachAsync(_server, new AttachVolumeOptions { VolumeId = _dataVolume }, ct);

        _plan = (await _service.SendAsync(HttpMethod.Post, "/v1/plans", "gAAAAAdemo-member", new
        {
            plan = new { protection_id = protection, name = "web", resources = new[] { new { kind = "server", id = _server, priority_group = 1 } } },
        })).Body!["plan"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _tenant.Dispose();
        await _lab.DisposeAsync();
        await _service.DisposeAsync();
    }

    private async Task<JsonNode> CaptureAsync(int expectedSequence)
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, $"/v1/plans/{_plan}/action", "gAAAAAdemo-member", new { capture = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return await Eventually.WaitForAsync(async () =>
        {
            var list = (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests", "gAAAAAdemo-member")).Body!["manifests"]!.AsArray();
            return list.Count >= expectedSequence ? list : null;
        }, $"manifest {expectedSequence}");
    }

    [Test, Order(1)]
    public async Task The_first_capture_records_the_server_its_flavor_keypair_and_both_volumes_in_device_order()
    {
        await CaptureAsync(1);

        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/1", "gAAAAAdemo-member");

        Assert.That(status, Is.EqualTo(200));
        var content = body!["manifest"]!["content"]!;
        var server = content["servers"]![0]!;
        Assert.That(server["name"]!.GetValue<string>(), Is.EqualTo("web-1"));
        Assert.That(server["flavor"]!["name"]!.GetValue<string>(), Is.EqualTo("m1.small"));
        Assert.That(server["boot_volume_id"]!.GetValue<string>(), Is.EqualTo(_bootVolume));
        Assert.That(server["disks"]!.AsArray().Select(d => d!["volume_id"]!.GetValue<string>()), Is.EqualTo(new[] { _bootVolume, _dataVolume }));
        Assert.That(server["metadata"]!["role"]!.GetValue<string>(), Is.EqualTo("web"));
        Assert.That(content["keypairs"]![0]!["public_key"]!.GetValue<string>(), Does.StartWith("ssh-ed25519"));
        Assert.That(content["volumes"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { _bootVolume, _dataVolume }));
        Assert.That(body["manifest"]!["content_hash"]!.GetValue<string>(), Has.Length.EqualTo(64));
    }

    [Test, Order(2)]
    public async Task A_capture_of_an_unchanged_tenant_stores_nothing_new()
    {
        var (status, _, _) = await _service.SendAsync(HttpMethod.Post, $"/v1/plans/{_plan}/action", "gAAAAAdemo-member", new { capture = new { } });
        Assert.That(status, Is.EqualTo(202));
        await Eventually.WaitForAsync(async () =>
            await _service.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job ORDER BY id DESC LIMIT 1") == "Succeeded" ? "done" : null,
            "the second capture job");

        var list = (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests", "gAAAAAdemo-member")).Body!["manifests"]!.AsArray();
        Assert.That(list, Has.Count.EqualTo(1));
    }

    [Test, Order(3)]
    public async Task A_volume_attached_later_appears_in_the_next_manifest_and_the_diff_names_it()
    {
        var ct = CancellationToken.None;
        var logs = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 5, Name = "web-logs" }, ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(logs, "available", null, ct);
        await _tenant.Compute.VolumeAttachments.AttachAsync(_server, new AttachVolumeOptions { VolumeId = logs }, ct);

        await CaptureAsync(2);
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/2?diff=1", "gAAAAAdemo-member");

        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        var changes = body!["diff"]!["changes"]!;
        Assert.That(changes["volumes"]!["added"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { logs }));
        Assert.That(changes["servers"]!["changed"]![0]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()), Does.Contain("disks"));
        Assert.That(changes["volumes"]!["removed"]!.AsArray(), Is.Empty);
        var (_, events, _) = await _service.SendAsync(HttpMethod.Get, "/v1/events?action=manifest.drift", "gAAAAAdemo-member");
        Assert.That(events!["events"]!.AsArray(), Has.Count.EqualTo(1));
    }

    [Test, Order(4)]
    public async Task The_image_a_protected_server_boots_from_is_copied_to_the_recovery_site_with_the_same_checksum()
    {
        var ct = CancellationToken.None;
        var image = await _tenant.Image.CreateAsync(new Draas.OpenStack.Image.CreateImageOptions { Name = "app-image", DiskFormat = "qcow2", ContainerFormat = "bare" }, ct);
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(bytes);
        await _tenant.Image.UploadAsync(image.Id, new MemoryStream(bytes), ct);
        await _tenant.Image.WaitForStatusAsync(image.Id, "active", null, ct);
        var app = (await _tenant.Compute.Servers.CreateAsync(new CreateServerOptions { Name = "app-1", FlavorRef = "2", ImageRef = image.Id, Networks = ServerNetworks.None }, ct)).Id;
        await _tenant.Compute.Servers.WaitForStatusAsync(app, "ACTIVE", null, ct);
        var (updated, body, _) = await _service.SendAsync(HttpMethod.Put, $"/v1/plans/{_plan}", "gAAAAAdemo-member", new
        {
            plan = new { resources = new[] { new { kind = "server", id = _server, priority_group = 1 }, new { kind = "server", id = app, priority_group = 2 } } },
        });
        Assert.That(updated, Is.EqualTo(200), body?.ToJsonString());

        await CaptureAsync(3);

        var siteB = _lab.SiteB.OpenStack;
        using var recovery = new KeystoneSession(new KeystoneSessionOptions
        {
            AuthUrl = siteB.Admin.AuthUrl,
            Region = siteB.Region,
            Username = "admin",
            Password = siteB.Admin.Password,
            UserDomainName = "Default",
            ProjectName = "admin",
            ProjectDomainName = "Default",
        });
        var copy = await Eventually.WaitForAsync(async () =>
        {
            try
            {
                var found = await recovery.Image.GetAsync(image.Id, ct);
                return found.Status == "active" ? found : null;
            }
            catch (Draas.OpenStack.OpenStackException) { return null; }
        }, "the image copy at the recovery site");
        var original = await _tenant.Image.GetAsync(image.Id, ct);
        Assert.That(copy.Checksum, Is.EqualTo(original.Checksum).And.Not.Null);
        Assert.That(copy.OsHashValue, Is.EqualTo(original.OsHashValue));
        Assert.That(copy.Size, Is.EqualTo(bytes.Length));
    }
}
