using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.OpenStack;

public class ComputeTests : FakeCloudTests
{
    const string C = "/compute/v2.1";
    const string Nova = "2.79";


    static string ServerJson(string id, string status, string fault = "") => $$"""
        {"id": "{{id}}", "name": "web-{{id}}", "status": "{{status}}", "tenant_id": "p1", "user_id": "u1",
         "metadata": {"draas:plan": "plan-1"}, "hostId": "c5e9b0f1", "image": "",
         "flavor": {"original_name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20, "ephemeral": 0, "swap": 0,
                    "extra_specs": {"hw:cpu_policy": "dedicated"} },
         "created": "2026-11-20T08:00:00Z", "updated": "2026-11-20T08:01:00Z",
         "addresses": {"private": [{"addr": "10.0.0.5", "version": 4, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"}]},
         "key_name": "ops", "OS-EXT-AZ:availability_zone": "nova", "OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": null,
         "OS-EXT-STS:power_state": 1, "os-extended-volumes:volumes_attached": [{"id": "vol-boot", "delete_on_termination": false}],
         "security_groups": [{"name": "default"}], "locked": false, "tags": [], "description": null {{fault}},
         "links": [{"href": "http://x/v2.1/servers/{{id}}", "rel": "self"}]}
        """;

    [Test]
    public async Task Servers_list_follows_novas_next_link_to_the_second_page()
    {
        Cloud.Server.Given(Request.Create().WithPath($"{C}/servers/detail").UsingGet().WithParam("marker", "s2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"servers": [{{ServerJson("s3", "SHUTOFF")}}]}"""));
        Cloud.Server.Given(Request.Create().WithPath($"{C}/servers/detail").UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""
                    {"servers": [{{ServerJson("s1", "ACTIVE")}}, {{ServerJson("s2", "ACTIVE")}}],
                     "servers_links": [{"href": "{{Cloud.Url}}{{C}}/servers/detail?all_tenants=True&limit=2&marker=s2", "rel": "next"}]}
                    """));

        var servers = await Session.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true, ProjectId = "p1", Limit = 2 }, CancellationToken.None).ToListAsync();

        Assert.That(servers.Select(s => s.Id), Is.EqualTo(new[] { "s1", "s2", "s3" }));
        var requests = Cloud.Requests("GET", $"{C}/servers/detail");
        Assert.That(requests, Has.Length.EqualTo(2));
        Assert.That(requests[0].Query("all_tenants"), Is.EqualTo("true"));
        Assert.That(requests[0].Query("project_id"), Is.EqualTo("p1"));
        Assert.That(requests[0].Query("limit"), Is.EqualTo("2"));
        Assert.That(requests[1].Query("marker"), Is.EqualTo("s2"));
        foreach (var request in requests) request.HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task A_server_is_read_with_its_extension_attributes_and_embedded_flavor()
    {
        Cloud.Stub("GET", $"{C}/servers/s1", 200, $$"""{"server": {{ServerJson("s1", "ACTIVE")}}}""");

        var server = await Session.Compute.Servers.GetAsync("s1", CancellationToken.None);

        Assert.That(server.VmState, Is.EqualTo("active"));
        Assert.That(server.PowerState, Is.EqualTo(1));
        Assert.That(server.AvailabilityZone, Is.EqualTo("nova"));
        Assert.That(server.HostId, Is.EqualTo("c5e9b0f1"));
        Assert.That(server.ImageId, Is.Null, "booted from a volume: image is \"\"");
        Assert.That(server.VolumesAttached.Single().Id, Is.EqualTo("vol-boot"));
        Assert.That(server.Flavor.OriginalName, Is.EqualTo("m1.small"));
        Assert.That(server.Flavor.ExtraSpecs["hw:cpu_policy"], Is.EqualTo("dedicated"));
        Assert.That(server.Addresses["private"].Single().MacAddr, Is.EqualTo("fa:16:3e:00:00:01"));
        Assert.That(server.KeyName, Is.EqualTo("ops"));
        Cloud.Single("GET", $"{C}/servers/s1").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Boot_from_volume_sends_the_block_device_mapping_and_no_image()
    {
        Cloud.Stub("POST", $"{C}/servers", 202, """
            {"server": {"id": "new-1", "links": [], "OS-DCF:diskConfig": "MANUAL", "security_groups": [{"name": "default"}], "adminPass": "x1y2"}}
            """);

        var created = await Session.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = "web-1",
            FlavorRef = "fl-small",
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume("vol-boot"), BlockDeviceMapping.DataVolume("vol-data")],
            Networks = ServerNetworks.None,
            KeyName = "ops",
            AvailabilityZone = "nova",
            Metadata = new Dictionary<string, string> { ["draas:run"] = "r-1" },
            ServerGroupId = "grp-1",
        }, CancellationToken.None);

        Assert.That(created.Id, Is.EqualTo("new-1"));
        Assert.That(created.ToString(), Does.Not.Contain("x1y2"));
        var request = Cloud.Single("POST", $"{C}/servers");
        request.HasServiceHeaders(novaMicroversion: Nova);
        request.HasJsonBody("""
            {"server": {
               "name": "web-1", "flavorRef": "fl-small",
               "block_device_mapping_v2": [
                 {"boot_index": 0, "uuid": "vol-boot", "source_type": "volume", "destination_type": "volume", "delete_on_termination": false},
                 {"boot_index": -1, "uuid": "vol-data", "source_type": "volume", "destination_type": "volume", "delete_on_termination": false}],
               "networks": "none", "key_name": "ops", "availability_zone": "nova", "metadata": {"draas:run": "r-1"}},
             "os:scheduler_hints": {"group": "grp-1"}}
            """);
    }

    [Test]
    public async Task A_server_on_a_mapped_network_lists_its_networks()
    {
        Cloud.Stub("POST", $"{C}/servers", 202, """{"server": {"id": "new-2"}}""");

        await Session.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = "web-2",
            FlavorRef = "f",
            ImageRef = "img-1",
            Networks = ServerNetworks.Of(new NetworkRef { Uuid = "net-1" }, new NetworkRef { Port = "port-1" }),
        }, CancellationToken.None);

        Cloud.Single("POST", $"{C}/servers").HasJsonBody("""
            {"server": {"name": "web-2", "flavorRef": "f", "imageRef": "img-1", "networks": [{"uuid": "net-1"}, {"port": "port-1"}]}}
            """);
    }

    [Test]
    public async Task Delete_start_and_stop_use_novas_calls()
    {
        Cloud.Stub("DELETE", $"{C}/servers/s1", 204);
        Cloud.Stub("POST", $"{C}/servers/s1/action", 202);

        await Session.Compute.Servers.StopAsync("s1", CancellationToken.None);
        await Session.Compute.Servers.StartAsync("s1", CancellationToken.None);
        await Session.Compute.Servers.DeleteAsync("s1", CancellationToken.None);

        var actions = Cloud.Requests("POST", $"{C}/servers/s1/action");
        Assert.That(actions, Has.Length.EqualTo(2));
        actions[0].HasJsonBody("""{"os-stop": null}""");
        actions[1].HasJsonBody("""{"os-start": null}""");
        actions[1].HasServiceHeaders(novaMicroversion: Nova);
        Cloud.Single("DELETE", $"{C}/servers/s1").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Stopping_a_server_busy_in_another_task_is_retried()
    {
        Cloud.StubSequence("POST", $"{C}/servers/s1/action",
            (409, """{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance s1 while it is in task_state powering-on"}}""", []),
            (202, null, []));

        await Session.Compute.Servers.StopAsync("s1", CancellationToken.None);

        Assert.That(Cloud.Requests("POST", $"{C}/servers/s1/action"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task Server_metadata_is_read_merged_and_replaced()
    {
        Cloud.Stub("GET", $"{C}/servers/s1/metadata", 200, """{"metadata": {"a": "1"}}""");
        Cloud.Stub("POST", $"{C}/servers/s1/metadata", 200, """{"metadata": {"a": "1", "draas:recovered-from": "s0"}}""");
        Cloud.Stub("PUT", $"{C}/servers/s1/metadata", 200, """{"metadata": {"b": "2"}}""");

        var read = await Session.Compute.Servers.GetMetadataAsync("s1", CancellationToken.None);
        var merged = await Session.Compute.Servers.UpdateMetadataAsync("s1", new Dictionary<string, string> { ["draas:recovered-from"] = "s0" }, CancellationToken.None);
        var replaced = await Session.Compute.Servers.ReplaceMetadataAsync("s1", new Dictionary<string, string> { ["b"] = "2" }, CancellationToken.None);

        Assert.That(read["a"], Is.EqualTo("1"));
        Assert.That(merged, Has.Count.EqualTo(2));
        Assert.That(replaced.Keys, Is.EqualTo(new[] { "b" }));
        Cloud.Single("POST", $"{C}/servers/s1/metadata").HasJsonBody("""{"metadata": {"draas:recovered-from": "s0"}}""");
        Cloud.Single("PUT", $"{C}/servers/s1/metadata").HasJsonBody("""{"metadata": {"b": "2"}}""");
    }

    [Test]
    public async Task Waiting_for_a_boot_ends_when_the_server_is_active()
    {
        Cloud.StubSequence("GET", $"{C}/servers/s1",
            (200, $$"""{"server": {{ServerJson("s1", "BUILD")}}}""", []),
            (200, $$"""{"server": {{ServerJson("s1", "ACTIVE")}}}""", []));

        var server = await Session.Compute.Servers.WaitForStatusAsync("s1", "ACTIVE", null, CancellationToken.None);

        Assert.That(server.Status, Is.EqualTo("ACTIVE"));
    }

    [Test]
    public void A_boot_that_ends_in_error_fails_fast_with_novas_fault_message()
    {
        const string fault = """, "fault": {"code": 500, "created": "2026-11-22T10:00:00Z", "message": "No valid host was found. There are not enough hosts available."}""";
        Cloud.StubSequence("GET", $"{C}/servers/s1",
            (200, $$"""{"server": {{ServerJson("s1", "BUILD")}}}""", []),
            (200, $$"""{"server": {{ServerJson("s1", "ERROR", fault)}}}""", []));

        var error = Assert.ThrowsAsync<ResourceFailedException>(() =>
            Session.Compute.Servers.WaitForStatusAsync("s1", "ACTIVE", null, CancellationToken.None));

        Assert.That(error!.Failure, Does.Contain("No valid host was found"));
    }

    [Test]
    public async Task Waiting_for_a_deleted_server_ends_at_404()
    {
        Cloud.StubSequence("GET", $"{C}/servers/s1",
            (200, $$"""{"server": {{ServerJson("s1", "ACTIVE")}}}""", []),
            (404, """{"itemNotFound": {"code": 404, "message": "Instance s1 could not be found."}}""", []));

        await Session.Compute.Servers.WaitForDeletedAsync("s1", null, CancellationToken.None);

        Assert.That(Cloud.Requests("GET", $"{C}/servers/s1"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task Flavors_are_listed_with_private_ones_shown_created_and_given_extra_specs()
    {
        const string flavor = """
            {"id": "fl-small", "name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20, "swap": 0, "OS-FLV-EXT-DATA:ephemeral": 0,
             "os-flavor-access:is_public": false, "OS-FLV-DISABLED:disabled": false, "rxtx_factor": 1.0, "description": null,
             "extra_specs": {"hw:mem_page_size": "large"}, "links": []}
            """;
        Cloud.Stub("GET", $"{C}/flavors/detail", 200, $$"""{"flavors": [{{flavor}}]}""");
        Cloud.Stub("GET", $"{C}/flavors/fl-small", 200, $$"""{"flavor": {{flavor}}}""");
        Cloud.Stub("POST", $"{C}/flavors", 200, $$"""{"flavor": {{flavor}}}""");
        Cloud.Stub("GET", $"{C}/flavors/fl-small/os-extra_specs", 200, """{"extra_specs": {"hw:mem_page_size": "large"}}""");
        Cloud.Stub("POST", $"{C}/flavors/fl-small/os-extra_specs", 200, """{"extra_specs": {"hw:mem_page_size": "large"}}""");
        Cloud.Stub("DELETE", $"{C}/flavors/fl-small", 202);

        var listed = await Session.Compute.Flavors.ListAsync(includePrivate: true, CancellationToken.None).ToListAsync();
        var shown = await Session.Compute.Flavors.GetAsync("fl-small", CancellationToken.None);
        await Session.Compute.Flavors.CreateAsync(new CreateFlavorOptions
        {
            Name = "m1.small",
            Ram = 2048,
            Vcpus = 1,
            Disk = 20,
            Id = "fl-small",
            Ephemeral = 0,
            IsPublic = false,
        }, CancellationToken.None);
        var specs = await Session.Compute.Flavors.GetExtraSpecsAsync("fl-small", CancellationToken.None);
        await Session.Compute.Flavors.SetExtraSpecsAsync("fl-small", new Dictionary<string, string> { ["hw:mem_page_size"] = "large" }, CancellationToken.None);
        await Session.Compute.Flavors.DeleteAsync("fl-small", CancellationToken.None);

        Assert.That(listed.Single().IsPublic, Is.False);
        Assert.That(shown.ExtraSpecs["hw:mem_page_size"], Is.EqualTo("large"));
        Assert.That(specs["hw:mem_page_size"], Is.EqualTo("large"));
        Assert.That(Cloud.Single("GET", $"{C}/flavors/detail").Query("is_public"), Is.EqualTo("None"));
        Cloud.Single("POST", $"{C}/flavors").HasJsonBody("""
            {"flavor": {"name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20, "id": "fl-small",
                        "OS-FLV-EXT-DATA:ephemeral": 0, "os-flavor-access:is_public": false}}
            """);
        Cloud.Single("POST", $"{C}/flavors/fl-small/os-extra_specs").HasJsonBody("""{"extra_specs": {"hw:mem_page_size": "large"}}""");
        Cloud.Single("DELETE", $"{C}/flavors/fl-small").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Next_links_written_with_novas_internal_host_are_followed_on_the_catalog_endpoint()
    {
        Cloud.Server.Given(Request.Create().WithPath($"{C}/servers/detail").UsingGet().WithParam("marker", "s1"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"servers": []}"""));
        Cloud.Server.Given(Request.Create().WithPath($"{C}/servers/detail").UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""
                    {"servers": [{{ServerJson("s1", "ACTIVE")}}],
                     "servers_links": [{"href": "http://nova-internal.example:8774{{C}}/servers/detail?limit=1&marker=s1", "rel": "next"}]}
                    """));

        var servers = await Session.Compute.Servers.ListAsync(null, CancellationToken.None).ToListAsync();

        Assert.That(servers, Has.Count.EqualTo(1));
        Assert.That(Cloud.Requests("GET", $"{C}/servers/detail")[1].Query("marker"), Is.EqualTo("s1"));
    }

    [Test]
    public async Task Keypairs_are_listed_unwrapped_shown_imported_for_a_user_and_deleted()
    {
        Cloud.Stub("GET", $"{C}/os-keypairs", 200, """
            {"keypairs": [{"keypair": {"name": "ops", "public_key": "ssh-ed25519 AAAA ops", "fingerprint": "aa:bb", "type": "ssh"}}]}
            """);
        Cloud.Stub("GET", $"{C}/os-keypairs/ops", 200, """
            {"keypair": {"name": "ops", "public_key": "ssh-ed25519 AAAA ops", "fingerprint": "aa:bb", "type": "ssh", "user_id": "u1",
                         "created_at": "2026-11-01T00:00:00.000000", "deleted": false, "id": 1}}
            """);
        Cloud.Stub("POST", $"{C}/os-keypairs", 200, """{"keypair": {"name": "ops", "public_key": "ssh-ed25519 AAAA ops", "fingerprint": "aa:bb", "type": "ssh", "user_id": "u1"}}""");
        Cloud.Stub("DELETE", $"{C}/os-keypairs/ops", 202);

        var listed = await Session.Compute.Keypairs.ListAsync("u1", CancellationToken.None).ToListAsync();
        var shown = await Session.Compute.Keypairs.GetAsync("ops", "u1", CancellationToken.None);
        await Session.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = "ops", PublicKey = "ssh-ed25519 AAAA ops", Type = "ssh", UserId = "u1" }, CancellationToken.None);
        await Session.Compute.Keypairs.DeleteAsync("ops", "u1", CancellationToken.None);

        Assert.That(listed.Single().Fingerprint, Is.EqualTo("aa:bb"));
        Assert.That(shown.UserId, Is.EqualTo("u1"));
        Assert.That(Cloud.Single("GET", $"{C}/os-keypairs").Query("user_id"), Is.EqualTo("u1"));
        Assert.That(Cloud.Single("GET", $"{C}/os-keypairs/ops").Query("user_id"), Is.EqualTo("u1"));
        Cloud.Single("POST", $"{C}/os-keypairs").HasJsonBody("""
            {"keypair": {"name": "ops", "public_key": "ssh-ed25519 AAAA ops", "type": "ssh", "user_id": "u1"}}
            """);
        Assert.That(Cloud.Single("DELETE", $"{C}/os-keypairs/ops").Query("user_id"), Is.EqualTo("u1"));
    }

    [Test]
    public async Task Server_groups_are_created_with_policy_and_rules_listed_shown_and_deleted()
    {
        const string group = """
            {"id": "grp-1", "name": "db-anti", "policy": "anti-affinity", "rules": {"max_server_per_host": 1},
             "members": ["s1"], "project_id": "p1", "user_id": "u1"}
            """;
        Cloud.Stub("POST", $"{C}/os-server-groups", 200, $$"""{"server_group": {{group}}}""");
        Cloud.Stub("GET", $"{C}/os-server-groups", 200, $$"""{"server_groups": [{{group}}]}""");
        Cloud.Stub("GET", $"{C}/os-server-groups/grp-1", 200, $$"""{"server_group": {{group}}}""");
        Cloud.Stub("DELETE", $"{C}/os-server-groups/grp-1", 204);

        var created = await Session.Compute.ServerGroups.CreateAsync(new CreateServerGroupOptions
        {
            Name = "db-anti",
            Policy = "anti-affinity",
            Rules = new Dictionary<string, int> { ["max_server_per_host"] = 1 },
        }, CancellationToken.None);
        var listed = await Session.Compute.ServerGroups.ListAsync(allProjects: true, CancellationToken.None).ToListAsync();
        var shown = await Session.Compute.ServerGroups.GetAsync("grp-1", CancellationToken.None);
        await Session.Compute.ServerGroups.DeleteAsync("grp-1", CancellationToken.None);

        Assert.That(created.Rules["max_server_per_host"].GetInt32(), Is.EqualTo(1));
        Assert.That(listed.Single().Members, Is.EqualTo(new[] { "s1" }));
        Assert.That(shown.Policy, Is.EqualTo("anti-affinity"));
        Cloud.Single("POST", $"{C}/os-server-groups").HasJsonBody("""
            {"server_group": {"name": "db-anti", "policy": "anti-affinity", "rules": {"max_server_per_host": 1}}}
            """);
        Assert.That(Cloud.Single("GET", $"{C}/os-server-groups").Query("all_projects"), Is.EqualTo("true"));
        Cloud.Single("DELETE", $"{C}/os-server-groups/grp-1").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Data_volumes_are_attached_listed_and_detached()
    {
        Cloud.Stub("POST", $"{C}/servers/s1/os-volume_attachments", 200, """
            {"volumeAttachment": {"device": "/dev/vdb", "id": "vol-data", "serverId": "s1", "volumeId": "vol-data", "tag": null, "delete_on_termination": false}}
            """);
        Cloud.Stub("GET", $"{C}/servers/s1/os-volume_attachments", 200, """
            {"volumeAttachments": [{"device": "/dev/vda", "id": "vol-boot", "serverId": "s1", "volumeId": "vol-boot", "tag": null, "delete_on_termination": false}]}
            """);
        Cloud.Stub("DELETE", $"{C}/servers/s1/os-volume_attachments/vol-data", 202);

        var attached = await Session.Compute.VolumeAttachments.AttachAsync("s1", new AttachVolumeOptions { VolumeId = "vol-data", DeleteOnTermination = false }, CancellationToken.None);
        var listed = await Session.Compute.VolumeAttachments.ListAsync("s1", CancellationToken.None);
        await Session.Compute.VolumeAttachments.DetachAsync("s1", "vol-data", CancellationToken.None);

        Assert.That(attached.Device, Is.EqualTo("/dev/vdb"));
        Assert.That(listed.Single().VolumeId, Is.EqualTo("vol-boot"));
        var attach = Cloud.Single("POST", $"{C}/servers/s1/os-volume_attachments");
        attach.HasServiceHeaders(novaMicroversion: Nova);
        attach.HasJsonBody("""{"volumeAttachment": {"volumeId": "vol-data", "delete_on_termination": false}}""");
        Cloud.Single("DELETE", $"{C}/servers/s1/os-volume_attachments/vol-data").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Preflight_reads_zones_quotas_and_limits_and_raises_quotas()
    {
        Cloud.Stub("GET", $"{C}/os-availability-zone", 200, """
            {"availabilityZoneInfo": [{"zoneName": "nova", "zoneState": {"available": true}, "hosts": null}]}
            """);
        Cloud.Stub("GET", $"{C}/os-quota-sets/p1", 200, """
            {"quota_set": {"id": "p1", "instances": 10, "cores": 20, "ram": 51200, "key_pairs": 100, "metadata_items": 128,
                           "server_groups": 10, "server_group_members": 10, "injected_files": 5}}
            """);
        Cloud.Stub("PUT", $"{C}/os-quota-sets/p1", 200, """{"quota_set": {"instances": 40, "cores": 80, "ram": 51200}}""");
        Cloud.Stub("GET", $"{C}/limits", 200, """
            {"limits": {"rate": [], "absolute": {"maxTotalCores": 20, "totalCoresUsed": 4, "maxTotalInstances": 10, "totalInstancesUsed": 2}}}
            """);

        var zones = await Session.Compute.Admin.ListAvailabilityZonesAsync(CancellationToken.None);
        var quotas = await Session.Compute.Admin.GetQuotasAsync("p1", CancellationToken.None);
        var raised = await Session.Compute.Admin.UpdateQuotasAsync("p1", new Dictionary<string, int> { ["instances"] = 40, ["cores"] = 80 }, CancellationToken.None);
        var limits = await Session.Compute.Admin.GetAbsoluteLimitsAsync(CancellationToken.None);

        Assert.That(zones.Single().ZoneState.Available, Is.True);
        Assert.That(quotas.Cores, Is.EqualTo(20));
        Assert.That(quotas.Extra["injected_files"].GetInt32(), Is.EqualTo(5));
        Assert.That(raised.Instances, Is.EqualTo(40));
        Assert.That(limits["totalCoresUsed"], Is.EqualTo(4));
        Cloud.Single("PUT", $"{C}/os-quota-sets/p1").HasJsonBody("""{"quota_set": {"instances": 40, "cores": 80}}""");
        Cloud.Single("GET", $"{C}/limits").HasServiceHeaders(novaMicroversion: Nova);
    }

    [Test]
    public async Task Quota_usage_comes_from_the_detail_call_with_what_the_project_holds_and_reserves()
    {
        Cloud.Stub("GET", $"{C}/os-quota-sets/p1/detail", 200, """
            {"quota_set": {"id": "p1", "instances": {"in_use": 2, "limit": 10, "reserved": 1}, "cores": {"in_use": 4, "limit": -1, "reserved": 0},
                           "ram": {"in_use": 4096, "limit": 51200, "reserved": 0}}}
            """);

        var usage = await Session.Compute.Admin.GetQuotaUsageAsync("p1", CancellationToken.None);

        Assert.That(usage.Keys, Is.EquivalentTo(new[] { "instances", "cores", "ram" }), "the project's id is no quota");
        Assert.That(usage["instances"], Is.EqualTo(new Draas.OpenStack.Core.QuotaUsage(10, 2, 1)));
        Assert.That(usage["instances"].Free, Is.EqualTo(7));
        Assert.That(usage["cores"].Free, Is.Null, "unlimited");
        Cloud.Single("GET", $"{C}/os-quota-sets/p1/detail").HasServiceHeaders(novaMicroversion: Nova);
    }
}
