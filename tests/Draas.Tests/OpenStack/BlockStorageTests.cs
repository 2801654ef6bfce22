using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Snapshots;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.BlockStorage.VolumeTypes;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;

namespace Draas.Tests.OpenStack;

public class BlockStorageTests : FakeCloudTests
{
    const string Volume1 = """
        {"id": "6edbc2f4-1507-44f8-ac0d-eed1d2608d38", "name": "db-data", "status": "in-use", "size": 10,
         "availability_zone": "nova", "created_at": "2026-11-20T08:12:44.000000", "updated_at": null,
         "description": null, "volume_type": "pure-async", "snapshot_id": null, "source_volid": null,
         "metadata": {"draas:protect": "true"}, "bootable": "true", "encrypted": false, "multiattach": false,
         "replication_status": "disabled", "user_id": "u1",
         "os-vol-host-attr:host": "cinder@pure-a#pool-1", "os-vol-tenant-attr:tenant_id": "tenant-1",
         "attachments": [{"server_id": "srv-1", "attachment_id": "att-1", "attached_at": "2026-11-20T08:13:00.000000",
                          "host_name": "compute-1", "volume_id": "6edbc2f4-1507-44f8-ac0d-eed1d2608d38", "device": "/dev/vdb",
                          "id": "6edbc2f4-1507-44f8-ac0d-eed1d2608d38"}],
         "links": [{"href": "http://x/v3/p/volumes/6edbc2f4", "rel": "self"}]}
        """;

    string V => Cloud.VolumePath;

    static string VolumeJson(string id, string status) =>
        $$"""{"id": "{{id}}", "status": "{{status}}", "size": 1, "created_at": "2026-11-22T10:00:00.000000", "metadata": {}, "attachments": []}""";

    [Test]
    public async Task Listing_all_tenants_volumes_follows_the_next_link_across_pages()
    {
        Cloud.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"{V}/volumes/detail").UsingGet().WithParam("marker", "v2"))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"volumes": [{{VolumeJson("v3", "available")}}]}"""));
        Cloud.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath($"{V}/volumes/detail").UsingGet().WithParam("all_tenants", "true"))
            .AtPriority(5)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""
                    {"volumes": [{{Volume1}}, {{VolumeJson("v2", "available")}}],
                     "volumes_links": [{"href": "{{Cloud.Url}}{{V}}/volumes/detail?all_tenants=true&limit=2&marker=v2", "rel": "next"}]}
                    """));

        var volumes = await Session.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true, Limit = 2 }, CancellationToken.None).ToListAsync();

        Assert.That(volumes.Select(v => v.Id), Is.EqualTo(new[] { "6edbc2f4-1507-44f8-ac0d-eed1d2608d38", "v2", "v3" }));
        var first = volumes[0];
        Assert.That(first.Host, Is.EqualTo("cinder@pure-a#pool-1"));
        Assert.That(first.TenantId, Is.EqualTo("tenant-1"));
        Assert.That(first.Bootable, Is.True, "Cinder sends bootable as the string \"true\"");
        Assert.That(first.Metadata["draas:protect"], Is.EqualTo("true"));
        Assert.That(first.Attachments.Single().ServerId, Is.EqualTo("srv-1"));
        Assert.That(first.CreatedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 8, 12, 44, TimeSpan.Zero)), "a time without a zone is UTC");
        var requests = Cloud.Requests("GET", $"{V}/volumes/detail");
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests[0].Query("all_tenants"), Is.EqualTo("true"));
        Assert.That(requests[0].Query("limit"), Is.EqualTo("2"));
        Assert.That(requests[1].Query("marker"), Is.EqualTo("v2"));
        requests[1].HasServiceHeaders(cinderMicroversion: "3.60");
    }

    [Test]
    public async Task Creating_a_volume_sends_only_what_was_set()
    {
        Cloud.Stub("POST", $"{V}/volumes", 202, $$"""{"volume": {{VolumeJson("new", "creating")}}}""");

        var volume = await Session.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions
        {
            Size = 10,
            Name = "restored-db",
            VolumeType = "pure-async",
            AvailabilityZone = "nova",
            ImageRef = "img-1",
            Metadata = new Dictionary<string, string> { ["draas:run"] = "r-1" },
        }, CancellationToken.None);

        Assert.That(volume.Status, Is.EqualTo("creating"));
        var request = Cloud.Single("POST", $"{V}/volumes");
        request.HasServiceHeaders(cinderMicroversion: "3.60");
        request.HasJsonBody("""
            {"volume": {"size": 10, "name": "restored-db", "volume_type": "pure-async", "availability_zone": "nova",
                        "imageRef": "img-1", "metadata": {"draas:run": "r-1"}}}
            """);
    }

    [Test]
    public async Task Deleting_with_cascade_asks_cinder_to_remove_snapshots_too()
    {
        Cloud.Stub("DELETE", $"{V}/volumes/v1", 202);

        await Session.BlockStorage.Volumes.DeleteAsync("v1", cascade: true, CancellationToken.None);

        var request = Cloud.Single("DELETE", $"{V}/volumes/v1");
        Assert.That(request.Query("cascade"), Is.EqualTo("true"));
        request.HasServiceHeaders(cinderMicroversion: "3.60");
    }

    [Test]
    public async Task Metadata_is_merged_with_post_replaced_with_put_and_keys_keep_their_spelling()
    {
        Cloud.Stub("POST", $"{V}/volumes/v1/metadata", 200, """{"metadata": {"DRaaS:Plan": "p1", "old": "x"}}""");
        Cloud.Stub("PUT", $"{V}/volumes/v1/metadata", 200, """{"metadata": {"DRaaS:Plan": "p1"}}""");
        Cloud.Stub("GET", $"{V}/volumes/v1/metadata", 200, """{"metadata": {"DRaaS:Plan": "p1"}}""");
        var metadata = new Dictionary<string, string> { ["DRaaS:Plan"] = "p1" };

        var merged = await Session.BlockStorage.Volumes.UpdateMetadataAsync("v1", metadata, CancellationToken.None);
        await Session.BlockStorage.Volumes.ReplaceMetadataAsync("v1", metadata, CancellationToken.None);
        var read = await Session.BlockStorage.Volumes.GetMetadataAsync("v1", CancellationToken.None);

        Assert.That(merged, Has.Count.EqualTo(2));
        Assert.That(read["DRaaS:Plan"], Is.EqualTo("p1"));
        Cloud.Single("POST", $"{V}/volumes/v1/metadata").HasJsonBody("""{"metadata": {"DRaaS:Plan": "p1"}}""");
        Cloud.Single("PUT", $"{V}/volumes/v1/metadata").HasJsonBody("""{"metadata": {"DRaaS:Plan": "p1"}}""");
    }

    [Test]
    public async Task An_imported_boot_volume_is_marked_bootable_with_the_volume_action()
    {
        Cloud.Stub("POST", $"{V}/volumes/v1/action", 200);

        await Session.BlockStorage.Volumes.SetBootableAsync("v1", true, CancellationToken.None);

        Cloud.Single("POST", $"{V}/volumes/v1/action").HasJsonBody("""{"os-set_bootable": {"bootable": true}}""");
    }

    [Test]
    public async Task Unmanaging_a_drill_volume_sends_os_unmanage()
    {
        Cloud.Stub("POST", $"{V}/volumes/v1/action", 202);

        await Session.BlockStorage.Volumes.UnmanageAsync("v1", CancellationToken.None);

        var request = Cloud.Single("POST", $"{V}/volumes/v1/action");
        request.HasServiceHeaders(cinderMicroversion: "3.60");
        request.HasJsonBody("""{"os-unmanage": {}}""");
    }

    [Test]
    public async Task Manage_existing_imports_a_promoted_replica_by_its_source_name()
    {
        Cloud.Stub("POST", $"{V}/manageable_volumes", 202, $$"""{"volume": {{VolumeJson("imported", "creating")}}}""");

        var volume = await Session.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
        {
            Host = "cinder@pure-b#pool-1",
            Ref = ManageVolumeOptions.SourceName("draas-6edbc2f4-r1"),
            Name = "db-data",
            VolumeType = "pure-async",
            AvailabilityZone = "nova",
            Bootable = false,
            Metadata = new Dictionary<string, string> { ["draas:source"] = "6edbc2f4" },
        }, CancellationToken.None);

        Assert.That(volume.Status, Is.EqualTo("creating"), "Cinder shows its internal 'managing' as 'creating'");
        var request = Cloud.Single("POST", $"{V}/manageable_volumes");
        request.HasServiceHeaders(cinderMicroversion: "3.60");
        request.HasJsonBody("""
            {"volume": {"host": "cinder@pure-b#pool-1", "ref": {"source-name": "draas-6edbc2f4-r1"}, "name": "db-data",
                        "volume_type": "pure-async", "availability_zone": "nova", "bootable": false,
                        "metadata": {"draas:source": "6edbc2f4"}}}
            """);
    }

    [Test]
    public async Task Manage_existing_raises_an_older_microversion_to_the_3_8_it_needs()
    {
        Session.BlockStorage.Client.Microversion = "3.0";
        Cloud.Stub("POST", $"{V}/manageable_volumes", 202, $$"""{"volume": {{VolumeJson("imported", "managing")}}}""");

        await Session.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions { Host = "h@b#p", Ref = ManageVolumeOptions.SourceName("x") },
            CancellationToken.None);

        Assert.That(Cloud.Single("POST", $"{V}/manageable_volumes").Header("OpenStack-API-Version"), Is.EqualTo("volume 3.8"));
    }

    [Test]
    public async Task The_manageable_list_shows_what_the_backend_offers_and_why_some_are_unsafe()
    {
        Cloud.Stub("GET", $"{V}/manageable_volumes/detail", 200, """
            {"manageable-volumes": [
              {"cinder_id": null, "extra_info": null, "reason_not_safe": null, "reference": {"source-name": "draas-r1"}, "safe_to_manage": true, "size": 10},
              {"cinder_id": "9c4e1f3a", "extra_info": null, "reason_not_safe": "already managed", "reference": {"source-name": "volume-9c4e1f3a-cinder"}, "safe_to_manage": false, "size": 5}]}
            """);

        var offered = await Session.BlockStorage.Manage.ListAsync("cinder@pure-b", CancellationToken.None).ToListAsync();

        Assert.That(offered, Has.Count.EqualTo(2));
        Assert.That(offered[0].Reference["source-name"], Is.EqualTo("draas-r1"));
        Assert.That(offered[0].SafeToManage, Is.True);
        Assert.That(offered[1].ReasonNotSafe, Is.EqualTo("already managed"));
        Assert.That(offered[1].CinderId, Is.EqualTo("9c4e1f3a"));
        var request = Cloud.Single("GET", $"{V}/manageable_volumes/detail");
        Assert.That(request.Query("host"), Is.EqualTo("cinder@pure-b"));
        request.HasServiceHeaders(cinderMicroversion: "3.60");
    }

    [Test]
    public async Task Volume_types_are_listed_with_private_ones_created_with_extra_specs_and_their_specs_set()
    {
        Cloud.Stub("GET", $"{V}/types", 200, """
            {"volume_types": [{"id": "t1", "name": "pure-async", "description": null, "is_public": true,
                               "os-volume-type-access:is_public": true, "qos_specs_id": null,
                               "extra_specs": {"volume_backend_name": "pure-a", "replication_enabled": "<is> True"}}]}
            """);
        Cloud.Stub("POST", $"{V}/types", 200, """{"volume_type": {"id": "t2", "name": "pure-async", "is_public": false, "extra_specs": {"volume_backend_name": "pure-b"}}}""");
        Cloud.Stub("GET", $"{V}/types/t1", 200, """{"volume_type": {"id": "t1", "name": "pure-async", "extra_specs": {}}}""");
        Cloud.Stub("GET", $"{V}/types/t1/extra_specs", 200, """{"extra_specs": {"volume_backend_name": "pure-a"}}""");
        Cloud.Stub("POST", $"{V}/types/t2/extra_specs", 200, """{"extra_specs": {"replication_type": "<in> async"}}""");
        Cloud.Stub("DELETE", $"{V}/types/t2", 202);

        var types = await Session.BlockStorage.VolumeTypes.ListAsync(includePrivate: true, CancellationToken.None).ToListAsync();
        var created = await Session.BlockStorage.VolumeTypes.CreateAsync(new CreateVolumeTypeOptions
        {
            Name = "pure-async",
            IsPublic = false,
            ExtraSpecs = new Dictionary<string, string> { ["volume_backend_name"] = "pure-b" },
        }, CancellationToken.None);
        var shown = await Session.BlockStorage.VolumeTypes.GetAsync("t1", CancellationToken.None);
        var specs = await Session.BlockStorage.VolumeTypes.GetExtraSpecsAsync("t1", CancellationToken.None);
        await Session.BlockStorage.VolumeTypes.SetExtraSpecsAsync("t2", new Dictionary<string, string> { ["replication_type"] = "<in> async" }, CancellationToken.None);
        await Session.BlockStorage.VolumeTypes.DeleteAsync("t2", CancellationToken.None);

        Assert.That(types.Single().ExtraSpecs["volume_backend_name"], Is.EqualTo("pure-a"));
        Assert.That(created.IsPublic, Is.False);
        Assert.That(shown.Id, Is.EqualTo("t1"));
        Assert.That(specs["volume_backend_name"], Is.EqualTo("pure-a"));
        Assert.That(Cloud.Single("GET", $"{V}/types").Query("is_public"), Is.EqualTo("None"));
        Cloud.Single("POST", $"{V}/types").HasJsonBody("""
            {"volume_type": {"name": "pure-async", "os-volume-type-access:is_public": false, "extra_specs": {"volume_backend_name": "pure-b"}}}
            """);
        Cloud.Single("POST", $"{V}/types/t2/extra_specs").HasJsonBody("""{"extra_specs": {"replication_type": "<in> async"}}""");
        Cloud.Single("DELETE", $"{V}/types/t2").HasServiceHeaders(cinderMicroversion: "3.60");
    }

    [Test]
    public void Waiting_for_a_snapshot_fails_fast_on_error()
    {
        Cloud.StubSequence("GET", $"{V}/snapshots/s1",
            (200, """{"snapshot": {"id": "s1", "volume_id": "v1", "status": "creating", "size": 1, "created_at": "2026-11-22T10:00:00Z"}}""", []),
            (200, """{"snapshot": {"id": "s1", "volume_id": "v1", "status": "error", "size": 1, "created_at": "2026-11-22T10:00:00Z"}}""", []));

        var error = Assert.ThrowsAsync<ResourceFailedException>(() =>
            Session.BlockStorage.Snapshots.WaitForStatusAsync("s1", "available", null, CancellationToken.None));

        Assert.That(error!.Failure, Does.Contain("error"));
    }

    [Test]
    public async Task Snapshots_are_created_forced_for_attached_volumes_listed_shown_and_deleted()
    {
        const string snapshot = """
            {"id": "s1", "name": "pre-drill", "description": null, "volume_id": "v1", "status": "creating", "size": 10,
             "created_at": "2026-11-22T10:00:00.000000", "updated_at": null, "metadata": {},
             "os-extended-snapshot-attributes:progress": "0%", "os-extended-snapshot-attributes:project_id": "p1"}
            """;
        Cloud.Stub("POST", $"{V}/snapshots", 202, $$"""{"snapshot": {{snapshot}}}""");
        Cloud.Stub("GET", $"{V}/snapshots/detail", 200, $$"""{"snapshots": [{{snapshot}}]}""");
        Cloud.Stub("GET", $"{V}/snapshots/s1", 200, $$"""{"snapshot": {{snapshot}}}""");
        Cloud.Stub("DELETE", $"{V}/snapshots/s1", 202);

        var created = await Session.BlockStorage.Snapshots.CreateAsync(new CreateSnapshotOptions { VolumeId = "v1", Name = "pre-drill", Force = true }, CancellationToken.None);
        var listed = await Session.BlockStorage.Snapshots.ListAsync("v1", null, CancellationToken.None).ToListAsync();
        var shown = await Session.BlockStorage.Snapshots.GetAsync("s1", CancellationToken.None);
        await Session.BlockStorage.Snapshots.DeleteAsync("s1", CancellationToken.None);

        Assert.That(created.Progress, Is.EqualTo("0%"));
        Assert.That(created.ProjectId, Is.EqualTo("p1"));
        Assert.That(listed.Single().VolumeId, Is.EqualTo("v1"));
        Assert.That(shown.Name, Is.EqualTo("pre-drill"));
        Cloud.Single("POST", $"{V}/snapshots").HasJsonBody("""{"snapshot": {"volume_id": "v1", "name": "pre-drill", "force": true}}""");
        Assert.That(Cloud.Single("GET", $"{V}/snapshots/detail").Query("volume_id"), Is.EqualTo("v1"));
        Cloud.Single("DELETE", $"{V}/snapshots/s1").HasServiceHeaders(cinderMicroversion: "3.60");
    }

    [Test]
    public async Task Preflight_reads_pools_services_and_quotas()
    {
        Cloud.Stub("GET", $"{V}/scheduler-stats/get_pools", 200, """
            {"pools": [{"name": "cinder@pure-b#pool-1", "capabilities": {"volume_backend_name": "pure-b", "vendor_name": "Pure Storage",
              "driver_version": "17.0.0", "storage_protocol": "iSCSI", "total_capacity_gb": 1024.5, "free_capacity_gb": "infinite",
              "reserved_percentage": 0, "replication_enabled": "True", "pool_name": "pool-1", "updated": "2026-11-22T09:59:00.000000"}},
             {"name": "site1@fake1#fake1", "capabilities": {"volume_backend_name": "fake1", "driver_version": 1.0,
              "storage_protocol": ["iSCSI", "iscsi"], "replication_enabled": true, "replication_targets": ["secondary"],
              "total_capacity_gb": 1000, "free_capacity_gb": 1000, "reserved_percentage": 0}}]}
            """);
        Cloud.Stub("GET", $"{V}/os-services", 200, """
            {"services": [{"binary": "cinder-volume", "host": "cinder@pure-b", "zone": "nova", "status": "enabled", "state": "up",
              "updated_at": "2026-11-22T10:00:00.000000", "disabled_reason": null, "cluster": null, "replication_status": "enabled",
              "active_backend_id": null, "frozen": false, "backend_state": "up"}]}
            """);
        Cloud.Stub("GET", $"{V}/os-quota-sets/p1", 200, """
            {"quota_set": {"id": "p1", "volumes": 10, "gigabytes": 1000, "snapshots": 10, "backups": 10, "backup_gigabytes": 1000,
              "per_volume_gigabytes": -1, "groups": 10, "volumes_pure-async": -1}}
            """);
        Cloud.Stub("PUT", $"{V}/os-quota-sets/p1", 200, """{"quota_set": {"volumes": 50, "gigabytes": 5000}}""");

        var pools = await Session.BlockStorage.Admin.ListPoolsAsync(CancellationToken.None);
        var services = await Session.BlockStorage.Admin.ListServicesAsync("cinder-volume", null, CancellationToken.None);
        var quotas = await Session.BlockStorage.Admin.GetQuotasAsync("p1", CancellationToken.None);
        var updated = await Session.BlockStorage.Admin.UpdateQuotasAsync("p1", new Dictionary<string, int> { ["volumes"] = 50, ["gigabytes"] = 5000 }, CancellationToken.None);

        Assert.That(pools.Select(p => p.Name), Is.EqualTo(new[] { "cinder@pure-b#pool-1", "site1@fake1#fake1" }));
        Assert.That(pools[0].Capabilities.ReplicationEnabled, Is.True, "\"True\" as a string");
        Assert.That(pools[1].Capabilities.ReplicationEnabled, Is.True, "true as a bool");
        Assert.That(pools[1].Capabilities.StorageProtocol, Is.EqualTo("iSCSI,iscsi"));
        Assert.That(pools[1].Capabilities.DriverVersion, Is.EqualTo("1.0"));
        Assert.That(pools[0].Capabilities.TotalCapacityGb, Is.EqualTo(1024.5));
        Assert.That(pools[0].Capabilities.FreeCapacityGb, Is.Null, "\"infinite\" is no number");
        Assert.That(pools[0].Capabilities.Extra.ContainsKey("pool_name"), Is.True);
        Assert.That(Cloud.Single("GET", $"{V}/scheduler-stats/get_pools").Query("detail"), Is.EqualTo("true"));
        Assert.That(services.Single().State, Is.EqualTo("up"));
        Assert.That(services[0].BackendState, Is.EqualTo("up"));
        Assert.That(Cloud.Single("GET", $"{V}/os-services").Query("binary"), Is.EqualTo("cinder-volume"));
        Assert.That(quotas.Gigabytes, Is.EqualTo(1000));
        Assert.That(quotas.Extra["volumes_pure-async"].GetInt32(), Is.EqualTo(-1));
        Assert.That(updated.Volumes, Is.EqualTo(50));
        Cloud.Single("PUT", $"{V}/os-quota-sets/p1").HasJsonBody("""{"quota_set": {"volumes": 50, "gigabytes": 5000}}""");
    }

    [Test]
    public async Task Waiting_for_an_import_polls_until_available_without_real_sleeps()
    {
        Cloud.StubSequence("GET", $"{V}/volumes/v1",
            (200, $$"""{"volume": {{VolumeJson("v1", "managing")}}}""", []),
            (200, $$"""{"volume": {{VolumeJson("v1", "managing")}}}""", []),
            (200, $$"""{"volume": {{VolumeJson("v1", "available")}}}""", []));

        var volume = await Session.BlockStorage.Volumes.WaitForStatusAsync("v1", "available", null, CancellationToken.None);

        Assert.That(volume.Status, Is.EqualTo("available"));
        Assert.That(Cloud.Time.Waits, Is.EqualTo(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) }), "polls slow down");
    }

    [Test]
    public void Waiting_for_an_import_fails_fast_when_cinder_reports_error_managing()
    {
        Cloud.StubSequence("GET", $"{V}/volumes/v1",
            (200, $$"""{"volume": {{VolumeJson("v1", "managing")}}}""", []),
            (200, $$"""{"volume": {{VolumeJson("v1", "error_managing")}}}""", []));

        var error = Assert.ThrowsAsync<ResourceFailedException>(() =>
            Session.BlockStorage.Volumes.WaitForStatusAsync("v1", "available", null, CancellationToken.None));

        Assert.That(error!.Failure, Does.Contain("error_managing"));
        Assert.That(Cloud.Requests("GET", $"{V}/volumes/v1"), Has.Length.EqualTo(2));
    }

    [Test]
    public void Waiting_gives_up_at_the_timeout_saying_what_it_last_saw()
    {
        Cloud.Stub("GET", $"{V}/volumes/v1", 200, $$"""{"volume": {{VolumeJson("v1", "creating")}}}""");

        var error = Assert.ThrowsAsync<WaitTimeoutException>(() => Session.BlockStorage.Volumes.WaitForStatusAsync("v1", "available",
            new WaitOptions { Timeout = TimeSpan.FromMinutes(1), Interval = TimeSpan.FromSeconds(10), Backoff = 1 }, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("creating"));
        Assert.That(Cloud.Requests("GET", $"{V}/volumes/v1"), Has.Length.EqualTo(7), "at 0, 10 … 60 s");
    }

    [Test]
    public async Task Waiting_for_a_delete_ends_when_cinder_answers_404()
    {
        Cloud.StubSequence("GET", $"{V}/volumes/v1",
            (200, $$"""{"volume": {{VolumeJson("v1", "deleting")}}}""", []),
            (404, """{"itemNotFound": {"code": 404, "message": "Volume v1 could not be found."}}""", []));

        await Session.BlockStorage.Volumes.WaitForDeletedAsync("v1", null, CancellationToken.None);

        Assert.That(Cloud.Requests("GET", $"{V}/volumes/v1"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task Quota_usage_asks_for_usage_and_reads_each_quota_per_volume_type_too()
    {
        Cloud.Stub("GET", $"{V}/os-quota-sets/p1", 200, """
            {"quota_set": {"id": "p1", "volumes": {"limit": 10, "in_use": 3, "reserved": 0, "allocated": 0},
              "gigabytes": {"limit": 1000, "in_use": 30, "reserved": 5, "allocated": 0},
              "volumes_pure-async": {"limit": -1, "in_use": 3, "reserved": 0, "allocated": 0}}}
            """);

        var usage = await Session.BlockStorage.Admin.GetQuotaUsageAsync("p1", CancellationToken.None);

        Assert.That(Cloud.Single("GET", $"{V}/os-quota-sets/p1").Query("usage"), Is.EqualTo("true"));
        Assert.That(usage["volumes"].Free, Is.EqualTo(7));
        Assert.That(usage["gigabytes"].Free, Is.EqualTo(965), "limit minus in use minus reserved");
        Assert.That(usage["volumes_pure-async"].Free, Is.Null);
        Assert.That(usage.ContainsKey("id"), Is.False);
    }
}
