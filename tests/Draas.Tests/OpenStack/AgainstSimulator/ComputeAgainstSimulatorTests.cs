using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>The Nova client against the simulator's Nova over HTTP: what a recovery needs at the target
/// site (flavors, keypairs, server groups, zones, quotas) and what it does to servers.</summary>
public class ComputeAgainstSimulatorTests : SimulatorFixture
{
    async Task<string> BootAsync(KeystoneSession admin, string flavorId, string name)
    {
        var boot = await admin.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = name + "-boot" }, Ct);
        await admin.BlockStorage.Volumes.WaitForStatusAsync(boot.Id, "available", Wait, Ct);
        await admin.BlockStorage.Volumes.SetBootableAsync(boot.Id, true, Ct);
        var created = await admin.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = name,
            FlavorRef = flavorId,
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot.Id)],
            Networks = ServerNetworks.None,
        }, Ct);
        return created.Id;
    }

    [Test]
    public async Task An_operator_finds_the_seeded_flavors_and_a_private_recovery_flavor_with_its_extra_specs()
    {
        using var admin = Session(SiteA.Admin);
        var flavors = admin.Compute.Flavors;

        var created = await flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("dr-large"), Ram = 4096, Vcpus = 2, Disk = 20, IsPublic = false, Description = "recovery size" }, Ct);
        var specs = await flavors.SetExtraSpecsAsync(created.Id, new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated", ["aggregate:dr"] = "true" }, Ct);

        Assert.That(specs, Does.ContainKey("hw:cpu_policy").WithValue("dedicated"));
        Assert.That(await flavors.GetExtraSpecsAsync(created.Id, Ct), Is.EquivalentTo(specs));
        var shown = await flavors.GetAsync(created.Id, Ct);
        Assert.That((shown.Name, shown.Ram, shown.Vcpus, shown.Disk, shown.IsPublic), Is.EqualTo((created.Name, 4096, 2, 20, false)));
        Assert.That(shown.ExtraSpecs, Does.ContainKey("aggregate:dr"), "flavor show carries extra_specs from 2.61");
        var publicOnly = await ToListAsync(flavors.ListAsync(false, Ct));
        var all = await ToListAsync(flavors.ListAsync(true, Ct));
        Assert.That(publicOnly.Select(f => f.Name), Does.Contain("dr.small").And.Not.Contain(created.Name));
        Assert.That(all.Select(f => f.Id), Does.Contain(created.Id));

        await flavors.DeleteAsync(created.Id, Ct);
        var gone = Assert.ThrowsAsync<OpenStackException>(() => flavors.GetAsync(created.Id, Ct));
        Assert.That(gone!.IsNotFound, Is.True);
    }

    [Test]
    public async Task An_imported_keypair_is_listed_and_shown_with_its_public_key_then_deleted()
    {
        using var admin = Session(SiteA.Admin);
        var keypairs = admin.Compute.Keypairs;
        const string publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl dr@site-a";
        var name = Unique("dr-key");

        var imported = await keypairs.ImportAsync(new ImportKeypairOptions { Name = name, PublicKey = publicKey, Type = "ssh" }, Ct);

        Assert.That(imported.Name, Is.EqualTo(name));
        Assert.That(imported.Fingerprint, Is.Not.Null.And.Not.Empty);
        var listed = await ToListAsync(keypairs.ListAsync(null, Ct));
        Assert.That(listed.Select(k => k.Name), Does.Contain(name));
        var shown = await keypairs.GetAsync(name, null, Ct);
        Assert.That(shown.PublicKey, Is.EqualTo(publicKey));
        Assert.That(shown.Fingerprint, Is.EqualTo(imported.Fingerprint));

        await keypairs.DeleteAsync(name, null, Ct);
        Assert.That((await ToListAsync(keypairs.ListAsync(null, Ct))).Select(k => k.Name), Does.Not.Contain(name));
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => keypairs.GetAsync(name, null, Ct))!.IsNotFound, Is.True);
    }

    [Test]
    public async Task An_anti_affinity_server_group_is_created_listed_shown_and_deleted()
    {
        using var admin = Session(SiteA.Admin);
        var groups = admin.Compute.ServerGroups;

        var group = await groups.CreateAsync(new CreateServerGroupOptions { Name = Unique("dr-ha"), Policy = "anti-affinity", Rules = new Dictionary<string, int> { ["max_server_per_host"] = 1 } }, Ct);

        Assert.That(group.Policy, Is.EqualTo("anti-affinity"));
        Assert.That(group.Members, Is.Empty);
        var shown = await groups.GetAsync(group.Id, Ct);
        Assert.That((shown.Name, shown.Policy), Is.EqualTo((group.Name, "anti-affinity")));
        Assert.That(shown.Rules["max_server_per_host"].GetInt32(), Is.EqualTo(1));
        Assert.That((await ToListAsync(groups.ListAsync(false, Ct))).Select(g => g.Id), Does.Contain(group.Id));
        Assert.That((await ToListAsync(groups.ListAsync(true, Ct))).Select(g => g.Id), Does.Contain(group.Id));

        await groups.DeleteAsync(group.Id, Ct);
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => groups.GetAsync(group.Id, Ct))!.IsNotFound, Is.True);
    }

    [Test]
    public async Task Availability_zones_quotas_and_absolute_limits_tell_the_operator_what_the_target_site_can_hold()
    {
        using var admin = Session(SiteA.Admin);
        var projectId = (await admin.GetTokenInfoAsync(Ct)).Project!.Id;

        var zones = await admin.Compute.Admin.ListAvailabilityZonesAsync(Ct);
        Assert.That(zones, Is.Not.Empty);
        Assert.That(zones.Where(z => z.ZoneState.Available).Select(z => z.ZoneName), Is.Not.Empty);

        var before = await admin.Compute.Admin.GetQuotasAsync(projectId, Ct);
        Assert.That(before.Instances, Is.GreaterThan(0));
        var updated = await admin.Compute.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int> { ["instances"] = before.Instances + 7, ["cores"] = 123 }, Ct);
        Assert.That((updated.Instances, updated.Cores), Is.EqualTo((before.Instances + 7, 123)));
        var after = await admin.Compute.Admin.GetQuotasAsync(projectId, Ct);
        Assert.That((after.Instances, after.Cores, after.Ram), Is.EqualTo((before.Instances + 7, 123, before.Ram)));

        var limits = await admin.Compute.Admin.GetAbsoluteLimitsAsync(Ct);
        Assert.That(limits, Does.ContainKey("maxTotalInstances").WithValue(before.Instances + 7));
        Assert.That(limits, Does.ContainKey("totalInstancesUsed"));
    }

    [Test]
    public async Task A_recovery_into_a_project_at_its_instance_quota_is_refused_until_the_quota_is_raised()
    {
        using var admin = Session(SiteB.Admin);
        var projectId = (await admin.GetTokenInfoAsync(Ct)).Project!.Id;
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flv"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var used = (await admin.Compute.Admin.GetAbsoluteLimitsAsync(Ct))["totalInstancesUsed"];
        var original = (await admin.Compute.Admin.GetQuotasAsync(projectId, Ct)).Instances;
        try
        {
            await admin.Compute.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int> { ["instances"] = used }, Ct);

            var refused = Assert.ThrowsAsync<OpenStackException>(() => BootAsync(admin, flavor.Id, Unique("over")));
            Assert.That(refused!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden));
            Assert.That(refused.ServiceMessage, Does.Contain("Quota exceeded for instances"));

            await admin.Compute.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int> { ["instances"] = -1 }, Ct);
            var id = await BootAsync(admin, flavor.Id, Unique("unlimited"));
            Assert.That((await admin.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", Wait, Ct)).Id, Is.EqualTo(id));
        }
        finally
        {
            await admin.Compute.Admin.UpdateQuotasAsync(projectId, new Dictionary<string, int> { ["instances"] = original }, Ct);
        }
    }

    [Test]
    public async Task A_recovered_server_is_stopped_started_and_its_metadata_merged_then_replaced()
    {
        using var admin = Session(SiteA.Admin);
        var servers = admin.Compute.Servers;
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flv"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var id = await BootAsync(admin, flavor.Id, Unique("recovered"));
        await servers.WaitForStatusAsync(id, "ACTIVE", Wait, Ct);

        await servers.StopAsync(id, Ct);
        Assert.That((await servers.WaitForStatusAsync(id, "SHUTOFF", Wait, Ct)).PowerState, Is.EqualTo(4));
        await servers.StartAsync(id, Ct);
        Assert.That((await servers.WaitForStatusAsync(id, "ACTIVE", Wait, Ct)).PowerState, Is.EqualTo(1));

        var merged = await servers.UpdateMetadataAsync(id, new Dictionary<string, string> { ["draas:plan"] = "p1", ["role"] = "db" }, Ct);
        Assert.That(merged, Does.ContainKey("draas:plan").WithValue("p1"));
        merged = await servers.UpdateMetadataAsync(id, new Dictionary<string, string> { ["role"] = "primary-db" }, Ct);
        Assert.That(merged, Is.EquivalentTo(new Dictionary<string, string> { ["draas:plan"] = "p1", ["role"] = "primary-db" }), "update merges");
        var replaced = await servers.ReplaceMetadataAsync(id, new Dictionary<string, string> { ["draas:recovered-from"] = "site-b" }, Ct);
        Assert.That(replaced, Is.EquivalentTo(new Dictionary<string, string> { ["draas:recovered-from"] = "site-b" }), "replace drops the keys it does not name");
        Assert.That(await servers.GetMetadataAsync(id, Ct), Is.EquivalentTo(replaced));
        Assert.That((await servers.GetAsync(id, Ct)).Metadata, Is.EquivalentTo(replaced));
    }

    [Test]
    public async Task Listing_servers_in_pages_smaller_than_the_count_returns_each_server_once()
    {
        using var admin = Session(SiteA.Admin);
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flv"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var prefix = Unique("paged");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await BootAsync(admin, flavor.Id, $"{prefix}-{i}"));
        foreach (var id in ids) await admin.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", Wait, Ct);

        var listed = await ToListAsync(admin.Compute.Servers.ListAsync(new ServerListOptions { Limit = 2, AllTenants = true }, Ct));

        var ours = listed.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.That(ours.Select(s => s.Id), Is.EquivalentTo(ids), "pages of 2 over 5 servers follow servers_links to the end");
        Assert.That(listed.Select(s => s.Id), Is.Unique);
        Assert.That(ours.All(s => s.Status == "ACTIVE" && s.Flavor.OriginalName == flavor.Name), Is.True, "the list is the detailed one");
        var named = await ToListAsync(admin.Compute.Servers.ListAsync(new ServerListOptions { Name = $"{prefix}-3" }, Ct));
        Assert.That(named.Select(s => s.Id), Is.EqualTo(new[] { ids[3] }));
    }

    [Test]
    public async Task A_server_build_that_fails_stops_the_wait_at_once_with_the_fault()
    {
        using var admin = Session(SiteB.Admin);
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flv"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        SiteB.FailServerBuilds = "No valid host was found.";
        try
        {
            var id = await BootAsync(admin, flavor.Id, Unique("doomed"));
            var slow = new WaitOptions { Timeout = TimeSpan.FromMinutes(5), Interval = TimeSpan.FromMilliseconds(20) };
            var started = DateTimeOffset.UtcNow;

            var failed = Assert.ThrowsAsync<ResourceFailedException>(() => admin.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", slow, Ct));

            Assert.That(failed!.Failure, Does.Contain("ERROR").Or.Contain("No valid host"));
            Assert.That(DateTimeOffset.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(10)), "ERROR ends the wait, not the timeout");
            Assert.That((await admin.Compute.Servers.GetAsync(id, Ct)).Fault?.Message, Is.EqualTo("No valid host was found."));
        }
        finally
        {
            SiteB.FailServerBuilds = null;
        }
    }

    [Test]
    public async Task A_deleted_server_is_waited_out_and_no_longer_listed()
    {
        using var admin = Session(SiteA.Admin);
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flv"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var id = await BootAsync(admin, flavor.Id, Unique("gone"));
        await admin.Compute.Servers.WaitForStatusAsync(id, "ACTIVE", Wait, Ct);
        Assert.That((await admin.Compute.VolumeAttachments.ListAsync(id, Ct)).Count, Is.EqualTo(1), "the boot volume is the one attachment");

        await admin.Compute.Servers.DeleteAsync(id, Ct);
        await admin.Compute.Servers.WaitForDeletedAsync(id, Wait, Ct);

        Assert.That((await ToListAsync(admin.Compute.Servers.ListAsync(null, Ct))).Select(s => s.Id), Does.Not.Contain(id));
    }
}
