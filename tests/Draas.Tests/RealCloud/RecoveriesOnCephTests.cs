using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Tests.Support;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.RealCloud;

/// <summary>
/// The product itself (the service with its Hangfire workers, through its API) against the real cloud of
/// tests/realcloud: real Keystone, Nova (fake driver), Cinder with RBD backends on two real Ceph clusters whose
/// rbd-mirror daemons replicate, Glance. A tenant of two servers booting from volume, one with a data volume, is
/// drilled, migrated to site2, reprotected, failed back, and failed over with site1's Ceph cluster stopped. The
/// data is checked on the images themselves: known blocks written into the primaries before and after a recovery
/// point, the recovered images read back with rbd export. Runs in order; category RealCloud (./tox -e realcloud).
/// </summary>
[TestFixture]
[Category("RealCloud")]
[NonParallelizable]
public sealed partial class RecoveriesOnCephTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private const long MiB = 1 << 20;
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private readonly DrillGate _gate = new();
    private readonly LogCapture _log = new();
    private RunningService _service = null!;
    private KeystoneSession _admin1 = null!, _demo1 = null!, _admin2 = null!;
    private CephImages _ceph1 = null!, _ceph2 = null!;
    private string _cephDir = "";
    private string _plan = "";
    private bool _site1Stopped;
    private readonly Dictionary<string, string> _volumes = []; // name -> Cinder id of the volume in service now
    private readonly Dictionary<string, CephImages> _primaryAt = []; // name -> cluster holding its primary image

    [OneTimeSetUp]
    public async Task StartTenant()
    {
        var file = Environment.GetEnvironmentVariable(RealCloudTarget.EndpointsVariable);
        if (string.IsNullOrEmpty(file) || !File.Exists(file)) Assert.Ignore($"no real cloud: ./tox -e realcloud sets {RealCloudTarget.EndpointsVariable}");
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var sites = doc["sites"]!.AsArray();
        if (sites[0]!["rbd"] is null || sites[1]!["rbd"] is null) Assert.Ignore("the real cloud has no Cinder RBD backends (DRAAS_REALCLOUD_CEPH=0)");
        if (!sites[1]!["compute"]!.GetValue<bool>()) Assert.Ignore("site2 has no Nova: the recoveries boot servers there (DRAAS_REALCLOUD_NOVA_SITES)");
        _cephDir = doc["ceph_dir"]!.GetValue<string>();
        _ceph1 = CephImages.Of(sites[0]!)!;
        _ceph2 = CephImages.Of(sites[1]!)!;
        _admin1 = new KeystoneSession(Options(sites[0]!, "admin"));
        _demo1 = new KeystoneSession(Options(sites[0]!, "member"));
        _admin2 = new KeystoneSession(Options(sites[1]!, "admin"));
        await CleanTenantAsync(_admin1); // what an interrupted earlier run left (the clouds' databases outlive a run)
        await CleanTenantAsync(_admin2);

        _service = await RunningService.StartAsync(new Dictionary<string, string?> { ["jobs:workers"] = "4" }, configure: services =>
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_log);
            // The operator's look at a drill before it is cleaned up: the cleanup step waits for the test.
            foreach (var d in services.Where(d => d.ServiceType == typeof(IStepHandler) && d.ImplementationType == typeof(CleanupStep)).ToList()) services.Remove(d);
            services.AddTransient<IStepHandler>(sp => new GatedCleanup(ActivatorUtilities.CreateInstance<CleanupStep>(sp), _gate));
        });

        string site1 = await PostAsync("/v1/sites", new { site = SiteBody(sites[0]!) });
        string site2 = await PostAsync("/v1/sites", new { site = SiteBody(sites[1]!) });
        var array2 = await PostAsync("/v1/arrays", new { array = ArrayBody(sites[1]!, site2, null) });
        await PostAsync("/v1/arrays", new { array = ArrayBody(sites[0]!, site1, array2) });
        var project1 = (await _demo1.GetTokenInfoAsync(Ct)).Project!.Id;
        var project2 = await ProjectIdAsync(_admin2, "demo");
        var protection = await PostAsync("/v1/protections", new
        {
            protection = new
            {
                name = "shop",
                primary_site_id = site1,
                primary_project_id = project1,
                recovery_site_id = site2,
                recovery_project_id = project2,
                rpo_target_seconds = 86_400,
            },
        });

        // The tenant: web and db boot from rbd volumes, db has an rbd data volume.
        var flavor = await FlavorAsync();
        foreach (var name in new[] { "web-root", "db-root", "db-data" })
        {
            var v = await _demo1.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = name, VolumeType = "rbd" }, Ct);
            await _demo1.BlockStorage.Volumes.WaitForStatusAsync(v.Id, "available", null, Ct);
            if (name.EndsWith("-root", StringComparison.Ordinal)) await _demo1.BlockStorage.Volumes.SetBootableAsync(v.Id, true, Ct);
            _volumes[name] = v.Id;
            _primaryAt[name] = _ceph1;
        }
        var servers = new List<string>();
        foreach (var name in new[] { "web", "db" })
        {
            var id = (await _demo1.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = name,
                FlavorRef = flavor,
                Networks = ServerNetworks.None,
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(_volumes[$"{name}-root"])],
            }, Ct)).Id;
            await _demo1.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", null, Ct);
            servers.Add(id);
        }
        await _demo1.Compute.VolumeAttachments.AttachAsync(servers[1], new AttachVolumeOptions { VolumeId = _volumes["db-data"] }, Ct);
        await _demo1.BlockStorage.Volumes.WaitForStatusAsync(_volumes["db-data"], "in-use", null, Ct);

        // Daily mirror snapshots: none is scheduled during the test, so the test's own snapshots are the recovery points.
        _plan = await PostAsync("/v1/plans", new
        {
            plan = new
            {
                protection_id = protection,
                name = "shop-all",
                replication = new { mode = "async", interval_seconds = 86_400, retention = 10 },
                resources = servers.Select(s => new { kind = "server", id = s }).ToArray(),
            },
        });
        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, $"/v1/plans/{_plan}/action", Admin, new { capture = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        await WaitForPointAsync("ceph-site1", DateTimeOffset.MinValue);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _gate.Open();
        if (_service is not null) await _service.DisposeAsync();
        if (_admin2 is not null) await CleanTenantAsync(_admin2);
        if (_admin1 is not null && !_site1Stopped) await CleanTenantAsync(_admin1);
        _admin1?.Dispose();
        _demo1?.Dispose();
        _admin2?.Dispose();
    }

    [Test, Order(1)]
    public async Task Capture_records_each_volume_as_Cinder_shows_it_and_the_plugin_finds_its_image_from_that()
    {
        var (_, list, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests", Admin);
        var sequence = list!["manifests"]!.AsArray().Max(m => m!["sequence"]!.GetValue<int>());
        var (_, manifest, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/{sequence}", Admin);
        var volumes = manifest!["manifest"]!["content"]!["volumes"]!.AsArray();
        var images = await _ceph1.ImagesAsync(Ct);
        Assert.That(volumes.Select(v => v!["name"]!.GetValue<string>()), Is.EquivalentTo(_volumes.Keys));
        foreach (var v in volumes)
        {
            var id = v!["id"]!.GetValue<string>();
            Assert.That(v["host"]!.GetValue<string>(), Is.EqualTo("site1@rbd1#rbd1"), "the volume's backend as Cinder shows it to an admin");
            // Cinder's RBD driver keeps no provider_id (it names the image after the volume); the capture records what Cinder shows.
            Assert.That(v["provider_id"]?.GetValue<string>(), Is.Null);
            Assert.That(images, Does.Contain($"volume-{v["name_id"]!.GetValue<string>()}"), "the image the rbd plugin maps the captured volume to exists");
            var info = await _ceph1.InfoAsync($"volume-{id}", Ct);
            Assert.That(info!["mirroring"]!["mode"]!.GetValue<string>(), Is.EqualTo("snapshot"), "the plugin enabled snapshot mirroring of the tenant's image");
        }
    }

    [Test, Order(2)]
    public async Task A_drill_recovers_exactly_the_blocks_written_before_its_recovery_point_and_leaves_nothing_behind()
    {
        var cinder2Before = await CinderVolumesAsync(_admin2);
        var images2Before = await _ceph2.ImagesAsync(Ct);
        var expected = await WriteSnapshotWriteAsync("drill", 1 * MiB, 2 * MiB);

        _gate.Close();
        var runId = await StartRunAsync("drill");
        await _gate.Reached.WaitAsync(TimeSpan.FromMinutes(10), Ct);
        var report = await ReportAsync(runId);
        var recovered = Recovered(report);
        Assert.That(recovered.Keys, Is.EquivalentTo(_volumes.Keys));
        foreach (var (name, newId) in recovered)
            await AssertImageAsync(_ceph2, $"volume-{newId}", expected[name], (1 * MiB, $"drill-in-{name}"), (2 * MiB, "zeros"));
        _gate.Open();
        var run = await WaitRunAsync(runId);
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), Describe(run));

        report = await ReportAsync(runId);
        Assert.That(report["cleanup"]!["clean"]!.GetValue<bool>(), Is.True, report["cleanup"]!.ToJsonString());
        Assert.That(await CinderVolumesAsync(_admin2), Is.EquivalentTo(cinder2Before), "no volume left in site2's Cinder");
        Assert.That(await _ceph2.ImagesAsync(Ct), Is.EquivalentTo(images2Before), "no drill copy left on site2's cluster");
        foreach (var name in _volumes.Keys)
            Assert.That((await _ceph2.InfoAsync($"volume-{_volumes[name]}", Ct))!["mirroring"]!["primary"]!.GetValue<bool>(), Is.False, "replication untouched");
    }

    [Test, Order(3)]
    public async Task A_planned_migration_to_site2_loses_no_block_written_up_to_its_start()
    {
        var expected = new Dictionary<string, string>();
        foreach (var name in _volumes.Keys)
        {
            await _ceph1.WriteBlockAsync($"volume-{_volumes[name]}", 3 * MiB, $"pm-last-{name}", Ct);
            expected[name] = (await _ceph1.ExportAsync($"volume-{_volumes[name]}", [], Ct)).Sha256;
        }

        var run = await WaitRunAsync(await StartRunAsync("planned_migration"));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), Describe(run));
        var recovered = Recovered(await ReportAsync(run["id"]!.GetValue<string>()));
        Assert.That(recovered.Keys, Is.EquivalentTo(_volumes.Keys));
        foreach (var (name, newId) in recovered)
        {
            await AssertImageAsync(_ceph2, $"volume-{newId}", expected[name], (3 * MiB, $"pm-last-{name}"), (1 * MiB, $"drill-in-{name}"), (2 * MiB, $"drill-out-{name}"));
            Assert.That((await _ceph2.InfoAsync($"volume-{newId}", Ct))!["mirroring"]!["primary"]!.GetValue<bool>(), Is.True);
            var volume = await _admin2.BlockStorage.Volumes.GetAsync(newId, Ct);
            Assert.That(volume.Host, Is.EqualTo("site2@rbd1#rbd1"));
            _volumes[name] = newId;
            _primaryAt[name] = _ceph2;
        }
    }

    [Test, Order(4)]
    public async Task A_reprotect_replicates_the_recovered_images_back_to_site1()
    {
        var run = await WaitRunAsync(await StartRunAsync("reprotect"));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), Describe(run));
        foreach (var name in _volumes.Keys)
        {
            var image = $"volume-{_volumes[name]}";
            var snap = await _ceph2.MirrorSnapshotAsync(image, Ct);
            await Eventually.WaitForAsync(async () => await _ceph1.HasReplicaAsync(image, snap, Ct) ? "yes" : null,
                $"site1 to hold a replica of {image} (Cinder's rename at site2 travels with the mirror)", TimeSpan.FromMinutes(3));
        }
        await WaitForPointAsync("ceph-site2", DateTimeOffset.MinValue);
    }

    [Test, Order(5)]
    public async Task A_failback_brings_every_block_written_at_site2_home()
    {
        var expected = new Dictionary<string, string>();
        foreach (var name in _volumes.Keys)
        {
            await _ceph2.WriteBlockAsync($"volume-{_volumes[name]}", 4 * MiB, $"fb-last-{name}", Ct);
            expected[name] = (await _ceph2.ExportAsync($"volume-{_volumes[name]}", [], Ct)).Sha256;
        }

        var run = await WaitRunAsync(await StartRunAsync("failback"));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), Describe(run));
        var recovered = Recovered(await ReportAsync(run["id"]!.GetValue<string>()));
        foreach (var (name, newId) in recovered)
        {
            await AssertImageAsync(_ceph1, $"volume-{newId}", expected[name], (4 * MiB, $"fb-last-{name}"), (3 * MiB, $"pm-last-{name}"));
            Assert.That((await _admin1.BlockStorage.Volumes.GetAsync(newId, Ct)).Host, Is.EqualTo("site1@rbd1#rbd1"));
            _volumes[name] = newId;
            _primaryAt[name] = _ceph1;
        }
        await AuditAsync();
    }

    [Test, Order(6)]
    public async Task A_failover_with_site1s_cluster_stopped_recovers_the_last_replicated_blocks_and_not_the_later_ones()
    {
        // No waiting for the failback's protection first: until a mirror snapshot is taken after Cinder renamed the
        // images at site1, site2's replicas keep their old names; the snapshot below is the first recovery point.
        var expected = await WriteSnapshotWriteAsync("fo", 5 * MiB, 6 * MiB);
        await StopClusterAsync("site1");

        var run = await WaitRunAsync(await StartRunAsync("failover"), TimeSpan.FromMinutes(15));

        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), Describe(run));
        var recovered = Recovered(await ReportAsync(run["id"]!.GetValue<string>()));
        Assert.That(recovered.Keys, Is.EquivalentTo(_volumes.Keys));
        foreach (var (name, newId) in recovered)
            await AssertImageAsync(_ceph2, $"volume-{newId}", expected[name], (5 * MiB, $"fo-in-{name}"), (6 * MiB, "zeros"), (4 * MiB, $"fb-last-{name}"));
        // Leftovers at site2: every rbd image is a volume of site2's Cinder.
        var cinder = (await CinderVolumesAsync(_admin2)).Select(id => $"volume-{id}").ToList();
        Assert.That(await _ceph2.ImagesAsync(Ct), Is.SubsetOf(cinder), "no image on site2's cluster that Cinder does not know");
    }

    // ---- the tenant's data ----------------------------------------------------------------------------

    /// <summary>Writes "PHASE-in" blocks, takes a mirror snapshot of every primary and waits for it at the peer,
    /// then writes "PHASE-out" blocks; returns each image's SHA-256 at the snapshot.</summary>
    private async Task<Dictionary<string, string>> WriteSnapshotWriteAsync(string phase, long inOffset, long outOffset)
    {
        var expected = new Dictionary<string, string>();
        foreach (var name in _volumes.Keys)
        {
            var (primary, peer) = (_primaryAt[name], _primaryAt[name] == _ceph1 ? _ceph2 : _ceph1);
            var image = $"volume-{_volumes[name]}";
            await primary.WriteBlockAsync(image, inOffset, $"{phase}-in-{name}", Ct);
            expected[name] = (await primary.ExportAsync(image, [], Ct)).Sha256;
            var snap = await primary.MirrorSnapshotAsync(image, Ct);
            await Eventually.WaitForAsync(async () => await peer.HasReplicaAsync(image, snap, Ct) ? "yes" : null, $"{image}'s mirror snapshot {snap} at {peer.Site}", TimeSpan.FromMinutes(3));
        }
        await WaitForPointAsync(_primaryAt.Values.First() == _ceph1 ? "ceph-site1" : "ceph-site2", DateTimeOffset.UtcNow.AddSeconds(-90));
        foreach (var name in _volumes.Keys) await _primaryAt[name].WriteBlockAsync($"volume-{_volumes[name]}", outOffset, $"{phase}-out-{name}", Ct);
        return expected;
    }

    private async Task AssertImageAsync(CephImages cluster, string image, string sha256, params (long Offset, string Holds)[] blocks)
    {
        var (sha, found) = await cluster.ExportAsync(image, blocks.Select(b => b.Offset), Ct);
        foreach (var (offset, holds) in blocks)
            Assert.That(found.GetValueOrDefault(offset), Is.EqualTo(holds), $"{image} at {cluster.Site}, block at {offset / MiB} MiB");
        Assert.That(sha, Is.EqualTo(sha256), $"{image} at {cluster.Site}: the whole image as the primary was at the recovery point");
    }

    /// <summary>Every rbd image at each live cluster is a Cinder volume there or a mirrored replica of one at the other site; no drill copy anywhere.</summary>
    private async Task AuditAsync()
    {
        var cinder1 = (await CinderVolumesAsync(_admin1)).Select(id => $"volume-{id}").ToHashSet();
        var cinder2 = (await CinderVolumesAsync(_admin2)).Select(id => $"volume-{id}").ToHashSet();
        var images1 = await _ceph1.ImagesAsync(Ct);
        var images2 = await _ceph2.ImagesAsync(Ct);
        Assert.That(images1.Concat(images2).Where(i => i.StartsWith("draas-drill-", StringComparison.Ordinal)), Is.Empty, "no drill copy left");
        Assert.That(images1.Where(i => !cinder1.Contains(i) && !cinder2.Contains(i)), Is.Empty, "site1's cluster holds only Cinder volumes and their replicas");
        Assert.That(images2.Where(i => !cinder1.Contains(i) && !cinder2.Contains(i)), Is.Empty, "site2's cluster holds only Cinder volumes and their replicas");
        foreach (var name in _volumes.Keys)
            Assert.That(cinder1, Does.Contain($"volume-{_volumes[name]}"), $"{name} is a volume of site1's Cinder again");
    }

    /// <summary>A disaster at site1's storage: its Ceph daemons (mon, mgr, OSD, rbd-mirror) stop, by the PIDs tests/ceph/up.sh recorded.</summary>
    private async Task StopClusterAsync(string site)
    {
        _site1Stopped = true;
        var pids = (await File.ReadAllLinesAsync(Path.Combine(_cephDir, site, "pids"), Ct)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var pid in pids)
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } // already gone
        }
    }

    // ---- the service --------------------------------------------------------------------------------------

    private async Task<string> PostAsync(string path, object body)
    {
        var (status, json, _) = await _service.SendAsync(HttpMethod.Post, path, Admin, body);
        if (status != 201) throw new AssertionException($"POST {path}: {status} {json?.ToJsonString()}\n{Errors()}");
        return json!.AsObject().Single().Value!["id"]!.GetValue<string>();
    }

    private async Task<string> StartRunAsync(string kind)
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, "/v1/runs", Admin, new { run = new { plan_id = _plan, kind, options = new { } } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return body!["run"]!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> WaitRunAsync(string id, TimeSpan? timeout = null)
    {
        try
        {
            return await Eventually.WaitForAsync(async () =>
            {
                var run = (await _service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", Admin)).Body!["run"]!;
                return run["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? run : null;
            }, $"run {id} to end", timeout ?? TimeSpan.FromMinutes(10));
        }
        catch (AssertionException)
        {
            throw new AssertionException($"run {id} did not end:\n{Describe((await _service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", Admin)).Body!["run"]!)}\n{Errors()}");
        }
    }

    /// <summary>What the service logged at warning and above, to explain a failure.</summary>
    private string Errors() => string.Join('\n', _log.Text.Split('\n')
        .Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith(" ---> ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal))
        .TakeLast(40));

    private async Task<JsonObject> ReportAsync(string runId) =>
        (await _service.SendAsync(HttpMethod.Get, $"/v1/runs/{runId}/report", Admin)).Body!["report"]!.AsObject();

    private static Dictionary<string, string> Recovered(JsonObject report) =>
        report["recovered"]!["volumes"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!["volume_id"]!.GetValue<string>());

    private string Describe(JsonNode run) => Errors() + "\n" + string.Join("\n", run["steps"]!.AsArray().Select(s =>
        $"{s!["sequence"]} {s["kind"]} {s["target"]} {s["state"]} x{s["attempts"]} {s["error"]}")) + $"\nerror: {run["error"]}";

    /// <summary>Waits until the plan's status shows a recovery point from <paramref name="array"/> newer than <paramref name="after"/>.</summary>
    private async Task WaitForPointAsync(string array, DateTimeOffset after)
    {
        await Eventually.WaitForAsync(async () =>
        {
            var jobs = (Hangfire.IBackgroundJobClient)_service.Services.GetRequiredService(typeof(Hangfire.IBackgroundJobClient));
            jobs.Enqueue<Draas.Workflows.Protection.ReplicationMonitorJob>(j => j.RunAsync(CancellationToken.None));
            await Task.Delay(1000);
            var status = (await _service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/status", Admin)).Body!["status"]!;
            return status["groups"]!.AsArray().Any(g => g!["source_array"]?.GetValue<string>() == array
                && g["latest_recovery_point_at"] is { } at && at.GetValue<DateTimeOffset>() > after) ? "yes" : null;
        }, $"a recovery point from {array}", TimeSpan.FromMinutes(5));
    }

    // ---- the clouds ---------------------------------------------------------------------------------------

    private static async Task<List<string>> CinderVolumesAsync(KeystoneSession admin) =>
        await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct)
            .Where(v => v.Host?.Contains("@rbd1", StringComparison.Ordinal) == true).Select(v => v.Id).ToListAsync(Ct);

    /// <summary>Deletes the servers named web and db and every rbd volume of the site, best effort (the other
    /// fixtures' volumes live on fake1 and their servers have unique names).</summary>
    private static async Task CleanTenantAsync(KeystoneSession admin)
    {
        try
        {
            var servers = await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct).Where(x => x.Name is "web" or "db").ToListAsync(Ct);
            foreach (var server in servers) await admin.Compute.Servers.DeleteAsync(server.Id, Ct);
            foreach (var server in servers) await admin.Compute.Servers.WaitForDeletedAsync(server.Id, null, Ct);
            var volumes = await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct).Where(v => v.Host?.Contains("@rbd1", StringComparison.Ordinal) == true).ToListAsync(Ct);
            foreach (var volume in volumes) await admin.BlockStorage.Volumes.DeleteAsync(volume.Id, true, Ct);
            foreach (var volume in volumes) await admin.BlockStorage.Volumes.WaitForDeletedAsync(volume.Id, null, Ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TestContext.Out.WriteLine($"cleaning the tenant up: {e.Message}");
        }
    }

    private async Task<string> FlavorAsync()
    {
        const string name = "draas-rc-small";
        var existing = await _admin1.Compute.Flavors.ListAsync(true, Ct).FirstOrDefaultAsync(f => f.Name == name, Ct);
        return existing?.Id ?? (await _admin1.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = name, Ram = 512, Vcpus = 1, Disk = 1 }, Ct)).Id;
    }

    private static async Task<string> ProjectIdAsync(KeystoneSession admin, string name) =>
        (await admin.Identity.ListProjectsAsync(new() { Name = name }, Ct).FirstAsync(Ct)).Id;

    private static KeystoneSessionOptions Options(JsonNode site, string who)
    {
        var user = site[who]!;
        return new KeystoneSessionOptions
        {
            AuthUrl = site["auth_url"]!.GetValue<string>(),
            Region = site["region"]!.GetValue<string>(),
            Username = user["username"]!.GetValue<string>(),
            Password = user["password"]!.GetValue<string>(),
            UserDomainName = user["user_domain_name"]!.GetValue<string>(),
            ProjectName = user["project_name"]!.GetValue<string>(),
            ProjectDomainName = user["project_domain_name"]!.GetValue<string>(),
        };
    }

    private static object SiteBody(JsonNode site) => new
    {
        name = site["name"]!.GetValue<string>(),
        auth_url = site["auth_url"]!.GetValue<string>(),
        region_name = site["region"]!.GetValue<string>(),
        username = site["admin"]!["username"]!.GetValue<string>(),
        project_name = site["admin"]!["project_name"]!.GetValue<string>(),
        password = site["admin"]!["password"]!.GetValue<string>(),
    };

    /// <summary>Site N's Ceph cluster as an rbd array: its first monitor, client.admin's key, Cinder's RBD backend there.</summary>
    private static object ArrayBody(JsonNode site, string siteId, string? peer)
    {
        var rbd = site["rbd"]!;
        var mon = MonV2().Match(File.ReadAllText(rbd["ceph_conf"]!.GetValue<string>())).Groups[1].Value;
        var key = KeyLine().Match(File.ReadAllText(rbd["keyring"]!.GetValue<string>())).Groups[1].Value;
        return new
        {
            name = $"ceph-{site["name"]!.GetValue<string>()}",
            site_id = siteId,
            plugin = "rbd",
            endpoint = $"ceph://admin@{mon}/{rbd["pool"]!.GetValue<string>()}",
            api_token = key,
            cinder_backend = rbd["backend_host"]!.GetValue<string>(),
            peer_array_id = peer,
        };
    }

    [GeneratedRegex(@"mon_host = \[v2:([0-9.]+:\d+)")]
    private static partial Regex MonV2();

    [GeneratedRegex(@"key = (\S+)")]
    private static partial Regex KeyLine();

    /// <summary>Holds a drill's cleanup until the test has read the recovered images (closed), or lets it pass (open).</summary>
    private sealed class DrillGate
    {
        private TaskCompletionSource _open = Opened();
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Close()
        {
            _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Open() => _open.TrySetResult();

        public async Task PassAsync(CancellationToken ct)
        {
            _reached.TrySetResult();
            await _open.Task.WaitAsync(ct);
        }

        private static TaskCompletionSource Opened()
        {
            var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            t.SetResult();
            return t;
        }
    }

    private sealed class GatedCleanup(IStepHandler inner, DrillGate gate) : IStepHandler
    {
        public string Kind => inner.Kind;

        public IReadOnlyList<string> ReadsOutputsOf => inner.ReadsOutputsOf;

        public async Task<object?> ExecuteAsync(StepContext context, CancellationToken ct)
        {
            await gate.PassAsync(ct);
            return await inner.ExecuteAsync(context, ct);
        }
    }
}
