using System.Net;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Nova resources a recovery rebuilds servers with (flavors, keypairs, server groups), its
/// limits, and the read-only Neutron.</summary>
public sealed class NovaAndNeutronResourceTests : SimulatorTestBase
{
    private const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGfZb4lIHHdp3jOdmYbuSwaFEx1U3FWk2k2q6TC3Z3Hy ops@example";

    [Test]
    public async Task Flavors_ShowExtraSpecsFrom261_AndAdminsCreateFlavors()
    {
        var created = await Admin.CallAsync(HttpMethod.Post, $"{Admin.Compute}/flavors", HttpStatusCode.OK,
            new JsonObject { ["flavor"] = new JsonObject { ["name"] = "dr.large", ["ram"] = 8192, ["vcpus"] = 4, ["disk"] = 0, ["id"] = "dr-large" } });
        Assert.That(Str(created!["flavor"], "id"), Is.EqualTo("dr-large"));
        await Admin.CallAsync(HttpMethod.Post, $"{Admin.Compute}/flavors/dr-large/os-extra_specs", HttpStatusCode.OK,
            new JsonObject { ["extra_specs"] = new JsonObject { ["hw:cpu_policy"] = "dedicated" } });

        var flavor = await Demo.GetAsync($"{Demo.Compute}/flavors/dr-large", "compute 2.61");

        Assert.That(Str(flavor!["flavor"]!["extra_specs"], "hw:cpu_policy"), Is.EqualTo("dedicated"));
        Assert.That(flavor["flavor"]!["swap"]!.GetValue<string>(), Is.EqualTo(""), "before 2.75 no swap prints as an empty string");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/flavors", HttpStatusCode.Forbidden,
            new JsonObject { ["flavor"] = new JsonObject { ["name"] = "x", ["ram"] = 1, ["vcpus"] = 1, ["disk"] = 1 } });
    }

    [Test]
    public async Task Keypairs_BelongToTheirUser_AndANameIsTakenOnce()
    {
        var body = new JsonObject { ["keypair"] = new JsonObject { ["name"] = "ops", ["public_key"] = PublicKey } };
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/os-keypairs", HttpStatusCode.Created, body, "compute 2.2");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/os-keypairs", HttpStatusCode.Conflict, body.DeepClone(), "compute 2.2");

        var mine = await Demo.GetAsync($"{Demo.Compute}/os-keypairs");
        var admins = await Admin.GetAsync($"{Admin.Compute}/os-keypairs");

        Assert.That(Str(mine!["keypairs"]![0]!["keypair"], "name"), Is.EqualTo("ops"));
        Assert.That(admins!["keypairs"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task ServerGroups_RecordTheirMembers_WithPolicySpelledPerMicroversion()
    {
        var group = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/os-server-groups", HttpStatusCode.OK,
            new JsonObject { ["server_group"] = new JsonObject { ["name"] = "db-tier", ["policy"] = "anti-affinity" } }, "compute 2.64");
        var groupId = Str(group!["server_group"], "id");
        var volume = await AvailableVolumeAsync(Demo, "root");
        var boot = BootFromVolume("db-1", volume);
        boot["os:scheduler_hints"] = new JsonObject { ["group"] = groupId };
        var server = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, boot))!["server"], "id");

        var v264 = await Demo.GetAsync($"{Demo.Compute}/os-server-groups/{groupId}", "compute 2.64");
        var v21 = await Demo.GetAsync($"{Demo.Compute}/os-server-groups/{groupId}");

        Assert.That(Str(v264!["server_group"], "policy"), Is.EqualTo("anti-affinity"));
        Assert.That(v264["server_group"]!["members"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo(server));
        Assert.That(v21!["server_group"]!["policies"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo("anti-affinity"));
    }

    [Test]
    public async Task Limits_CountTheProjectsServers_AndAvailabilityZonesListNova()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("web", volume));

        var limits = await Demo.GetAsync($"{Demo.Compute}/limits");
        var zones = await Demo.GetAsync($"{Demo.Compute}/os-availability-zone");

        Assert.That(limits!["limits"]!["absolute"]!["totalInstancesUsed"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(limits["limits"]!["absolute"]!["totalRAMUsed"]!.GetValue<int>(), Is.EqualTo(2048));
        Assert.That(Str(zones!["availabilityZoneInfo"]![0], "zoneName"), Is.EqualTo("nova"));
    }

    [Test]
    public async Task ServerCreate_RejectsAnInUseBootVolumeAndAMissingNetworksKeyFrom237()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("first", volume));

        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.BadRequest, BootFromVolume("second", volume));
        var noNetworks = BootFromVolume("third", await AvailableVolumeAsync(Demo, "root2"));
        noNetworks["server"]!.AsObject().Remove("networks");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.BadRequest, noNetworks, "compute 2.37");
    }

    [Test]
    public async Task Networks_AMemberSeesTheSharedAndExternalNetworksWithTheirSubnets()
    {
        var networks = await Demo.GetAsync(SiteA.ServiceUrl("network") + "/v2.0/networks");
        var byName = networks!["networks"]!.AsArray().ToDictionary(n => Str(n, "name"), n => n!);

        Assert.That(byName.Keys, Is.SupersetOf(new[] { "private", "public", "dr-isolated" }));
        Assert.That(byName["public"]["router:external"]!.GetValue<bool>(), Is.True);
        Assert.That(byName["private"]["provider:network_type"], Is.Null, "provider attributes are admin-only");
        var subnetId = byName["private"]["subnets"]![0]!.GetValue<string>();
        var subnet = await Demo.GetAsync(SiteA.ServiceUrl("network") + $"/v2.0/subnets/{subnetId}");
        Assert.That(Str(subnet!["subnet"], "cidr"), Is.EqualTo("10.10.0.0/24"));
        var onB = await OpenStackSession.LoginAsync(Sim.Site("site-b").Demo);
        var bPrivate = (await onB.GetAsync(Sim.Site("site-b").ServiceUrl("network") + "/v2.0/networks?name=private"))!["networks"]![0]!;
        Assert.That(Str(bPrivate, "id"), Is.Not.EqualTo(Str(byName["private"], "id")), "each site has its own networks");
    }
}
