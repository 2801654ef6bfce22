using System.Net;
using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Networking;

namespace Draas.Tests.RealCloud;

/// <summary>What a recovered tenant's rebuild creates, created and read back against the simulator and the
/// real Neutron and Nova (issue 15): a routed network with its subnet's pools, DNS and routes, security
/// groups with a remote-group rule, a port with a kept fixed address and an address pair, a floating IP,
/// a server group, a keypair made for another user, and a server booted on the pre-made port.</summary>
public abstract partial class CloudScenarios
{
    [Test]
    public async Task A_routed_network_security_groups_with_a_remote_group_rule_a_port_with_a_fixed_ip_and_a_floating_ip_read_back()
    {
        using var admin = Cloud.Site2.AdminSession();
        using var member = Cloud.Site2.MemberSession();
        var n = member.Networking;
        var physnet = Unique("ext")[..24];
        var external = await admin.Networking.CreateNetworkAsync(new CreateNetworkOptions { Name = Unique("pub"), External = true, NetworkType = "flat", PhysicalNetwork = physnet }, Ct);
        Network? net = null;
        Router? router = null;
        Port? port = null;
        FloatingIp? fip = null;
        var groups = new List<string>();
        try
        {
            await admin.Networking.CreateSubnetAsync(new CreateSubnetOptions
            {
                NetworkId = external.Id,
                Cidr = "203.0.113.0/24",
                EnableDhcp = false,
                AllocationPools = [new AllocationPool { Start = "203.0.113.10", End = "203.0.113.200" }],
            }, Ct);
            net = await n.CreateNetworkAsync(new CreateNetworkOptions { Name = Unique("net") }, Ct);
            var subnet = await n.CreateSubnetAsync(new CreateSubnetOptions
            {
                NetworkId = net.Id,
                Name = "front-sub",
                Cidr = "192.168.10.0/24",
                DnsNameservers = ["192.0.2.53"],
                AllocationPools = [new AllocationPool { Start = "192.168.10.20", End = "192.168.10.199" }],
                HostRoutes = [new HostRoute { Destination = "198.51.100.0/24", Nexthop = "192.168.10.254" }],
            }, Ct);
            var read = await n.GetSubnetAsync(subnet.Id, Ct);
            Assert.That(read.GatewayIp, Is.EqualTo("192.168.10.1"));
            Assert.That(read.AllocationPools.Single().Start, Is.EqualTo("192.168.10.20"));
            Assert.That(read.DnsNameservers, Is.EqualTo(new[] { "192.0.2.53" }));
            Assert.That(read.HostRoutes.Single().Nexthop, Is.EqualTo("192.168.10.254"));

            router = await n.CreateRouterAsync(new CreateRouterOptions { Name = Unique("edge"), ExternalGatewayInfo = new ExternalGateway { NetworkId = external.Id } }, Ct);
            await n.AddRouterInterfaceAsync(router.Id, subnet.Id, Ct);
            var interfaces = await n.ListPortsAsync(new NeutronFilter { DeviceId = router.Id }, Ct).Where(p => p.DeviceOwner == "network:router_interface").ToListAsync(Ct);
            Assert.That(interfaces.Single().FixedIps.Single().IpAddress, Is.EqualTo("192.168.10.1"), "the router takes the subnet's gateway");

            var defaults = await n.ListSecurityGroupsAsync(new NeutronFilter { Name = "default" }, Ct).ToListAsync(Ct);
            Assert.That(defaults, Has.Count.EqualTo(1), "the project has its default group");
            var web = await n.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = Unique("web") }, Ct);
            groups.Add(web.Id);
            var db = await n.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = Unique("db") }, Ct);
            groups.Add(db.Id);
            await n.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions { SecurityGroupId = web.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 80, PortRangeMax = 80, RemoteIpPrefix = "0.0.0.0/0" }, Ct);
            var rule = new CreateSecurityGroupRuleOptions { SecurityGroupId = db.Id, Direction = "ingress", Protocol = "tcp", PortRangeMin = 5432, PortRangeMax = 5432, RemoteGroupId = web.Id };
            await n.CreateSecurityGroupRuleAsync(rule, Ct);
            var again = Assert.ThrowsAsync<OpenStackException>(() => n.CreateSecurityGroupRuleAsync(rule, Ct));
            Assert.That(again!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the same rule twice");
            var dbRead = await n.GetSecurityGroupAsync(db.Id, Ct);
            Assert.That(dbRead.SecurityGroupRules.Single(r => r.Direction == "ingress").RemoteGroupId, Is.EqualTo(web.Id));
            Assert.That(dbRead.SecurityGroupRules.Count(r => r.Direction == "egress"), Is.EqualTo(2), "a new group lets everything out (IPv4 and IPv6)");

            port = await n.CreatePortAsync(new CreatePortOptions
            {
                NetworkId = net.Id,
                Name = "web-nic0",
                FixedIps = [new FixedIp { SubnetId = subnet.Id, IpAddress = "192.168.10.30" }],
                SecurityGroups = [web.Id],
                AllowedAddressPairs = [new AddressPair { IpAddress = "192.168.10.100" }],
            }, Ct);
            Assert.That(port.FixedIps.Single().IpAddress, Is.EqualTo("192.168.10.30"));
            Assert.That(port.AllowedAddressPairs.Single().MacAddress, Is.EqualTo(port.MacAddress), "a pair without a MAC takes the port's");
            Assert.That(port.SecurityGroups, Is.EqualTo(new[] { web.Id }));
            var taken = Assert.ThrowsAsync<OpenStackException>(() => n.CreatePortAsync(new CreatePortOptions
            {
                NetworkId = net.Id,
                FixedIps = [new FixedIp { SubnetId = subnet.Id, IpAddress = "192.168.10.30" }],
            }, Ct));
            Assert.That(taken!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(taken.ServiceMessage, Does.Contain("already allocated"), "what the rebuild's ensure_port recognises");
            var inUse = Assert.ThrowsAsync<OpenStackException>(() => n.DeleteSecurityGroupAsync(web.Id, Ct));
            Assert.That(inUse!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a group a port uses stays");

            fip = await n.CreateFloatingIpAsync(new CreateFloatingIpOptions { FloatingNetworkId = external.Id, PortId = port.Id }, Ct);
            Assert.That(fip.FixedIpAddress, Is.EqualTo("192.168.10.30"));
            Assert.That(fip.RouterId, Is.EqualTo(router.Id));
            var quota = await admin.Networking.GetQuotaAsync((await member.GetTokenInfoAsync(Ct)).Project!.Id, Ct);
            Assert.That(quota.Keys, Is.SupersetOf(new[] { "network", "port", "security_group", "floatingip" }));
        }
        finally
        {
            if (fip is not null) await Quietly(() => n.DeleteFloatingIpAsync(fip.Id, Ct));
            if (port is not null) await Quietly(() => n.DeletePortAsync(port.Id, Ct));
            if (router is not null)
            {
                await Quietly(async () =>
                {
                    foreach (var s in await n.ListSubnetsAsync(net!.Id, null, Ct).ToListAsync(Ct)) await Quietly(() => n.RemoveRouterInterfaceAsync(router.Id, s.Id, Ct));
                    await n.SetRouterGatewayAsync(router.Id, null, Ct);
                    await n.DeleteRouterAsync(router.Id, Ct);
                });
            }
            if (net is not null) await Quietly(() => n.DeleteNetworkAsync(net.Id, Ct));
            foreach (var g in Enumerable.Reverse(groups)) await Quietly(() => n.DeleteSecurityGroupAsync(g, Ct));
            await Quietly(() => admin.Networking.DeleteNetworkAsync(external.Id, Ct));
        }
    }

    [Test]
    public async Task A_server_group_a_keypair_made_for_another_user_and_a_server_booted_on_a_pre_made_port_read_back()
    {
        var site = Cloud.Site1;
        Assume.That(site.HasCompute, "site 1 runs no Nova");
        using var admin = site.AdminSession();
        var memberToken = await site.MemberSession().GetTokenInfoAsync(Ct);
        var demoUser = memberToken.User.Id;
        var keyName = Unique("key");
        await admin.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = keyName, PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGGcwpOs1HvLNIjnl5EsuqD0M35lWExm4O/liyj9FleK demo@rc", UserId = demoUser }, Ct);
        var group = await admin.Compute.ServerGroups.CreateAsync(new CreateServerGroupOptions { Name = Unique("spread"), Policy = "anti-affinity" }, Ct);
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flavor"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var net = await admin.Networking.CreateNetworkAsync(new CreateNetworkOptions { Name = Unique("net") }, Ct);
        var volumes = admin.BlockStorage.Volumes;
        var boot = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("boot") }, Ct);
        var data = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("data") }, Ct);
        string? serverId = null;
        Port? port = null;
        try
        {
            Assert.That((await admin.Compute.Keypairs.ListAsync(demoUser, Ct).ToListAsync(Ct)).Select(k => k.Name), Does.Contain(keyName), "the member's key, made by an admin");
            Assert.That((await admin.Compute.Keypairs.ListAsync(null, Ct).ToListAsync(Ct)).Select(k => k.Name), Does.Not.Contain(keyName), "not the admin's own");
            Assert.That((await admin.Compute.ServerGroups.GetAsync(group.Id, Ct)).Policy, Is.EqualTo("anti-affinity"));

            var subnet = await admin.Networking.CreateSubnetAsync(new CreateSubnetOptions { NetworkId = net.Id, Cidr = "192.168.30.0/24" }, Ct);
            var sg = await admin.Networking.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = Unique("sg") }, Ct);
            port = await admin.Networking.CreatePortAsync(new CreatePortOptions
            {
                NetworkId = net.Id,
                FixedIps = [new FixedIp { SubnetId = subnet.Id, IpAddress = "192.168.30.40" }],
                SecurityGroups = [sg.Id],
            }, Ct);
            await volumes.WaitForStatusAsync(boot.Id, "available", Wait, Ct);
            await volumes.WaitForStatusAsync(data.Id, "available", Wait, Ct);
            await volumes.SetBootableAsync(boot.Id, true, Ct);
            var created = await admin.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = Unique("server"),
                FlavorRef = flavor.Id,
                ServerGroupId = group.Id,
                Tags = ["tier-db"],
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot.Id)],
                Networks = ServerNetworks.Of(new NetworkRef { Port = port.Id }),
            }, Ct);
            serverId = created.Id;
            var server = await admin.Compute.Servers.WaitForStatusAsync(serverId, "ACTIVE", Wait, Ct);
            Assert.That(server.Addresses[net.Name].Select(a => a.Addr), Is.EqualTo(new[] { "192.168.30.40" }), "the pre-made port's address");
            Assert.That(server.Tags, Is.EqualTo(new[] { "tier-db" }));
            Assert.That((await admin.Compute.ServerGroups.GetAsync(group.Id, Ct)).Members, Is.EqualTo(new[] { serverId }));
            Assert.That((await admin.Networking.GetPortAsync(port.Id, Ct)).DeviceId, Is.EqualTo(serverId));

            var attachment = await admin.Compute.VolumeAttachments.AttachAsync(serverId, new AttachVolumeOptions { VolumeId = data.Id }, Ct);
            await volumes.WaitForStatusAsync(data.Id, "in-use", Wait, Ct);
            var devices = (await admin.Compute.VolumeAttachments.ListAsync(serverId, Ct)).ToDictionary(a => a.VolumeId, a => a.Device);
            // libvirt names the root disk vda (the simulator does too); Zed's fake virt driver has no naming of its
            // own and Nova's default gives sda. Either way the first data volume is the next disk on the same bus.
            var root = devices[boot.Id] ?? "";
            Assert.That(root, Does.Match("^/dev/[sv]da$"), "the boot volume is the first disk");
            Assert.That(devices[data.Id], Is.EqualTo(root[..^1] + "b"), "the names the rebuild's attachment order is checked against");

            await admin.Compute.Servers.DeleteAsync(serverId, Ct);
            await admin.Compute.Servers.WaitForDeletedAsync(serverId, Wait, Ct);
            serverId = null;
            var kept = await admin.Networking.GetPortAsync(port.Id, Ct);
            Assert.That(kept.DeviceId, Is.Null.Or.Empty, "a port the server was given outlives it, unbound");
        }
        finally
        {
            if (serverId is not null) await Quietly(async () => { await admin.Compute.Servers.DeleteAsync(serverId, Ct); await admin.Compute.Servers.WaitForDeletedAsync(serverId, Wait, Ct); });
            if (port is not null) await Quietly(() => admin.Networking.DeletePortAsync(port.Id, Ct));
            await Quietly(() => admin.Networking.DeleteNetworkAsync(net.Id, Ct));
            await Quietly(async () =>
            {
                foreach (var g in await admin.Networking.ListSecurityGroupsAsync(null, Ct).Where(g => g.Name.StartsWith("draas-rt-sg", StringComparison.Ordinal)).ToListAsync(Ct))
                    await admin.Networking.DeleteSecurityGroupAsync(g.Id, Ct);
            });
            await Quietly(() => DeleteVolumeAsync(admin, boot.Id));
            await Quietly(() => DeleteVolumeAsync(admin, data.Id));
            await Quietly(() => admin.Compute.Flavors.DeleteAsync(flavor.Id, Ct));
            await Quietly(() => admin.Compute.ServerGroups.DeleteAsync(group.Id, Ct));
            await Quietly(() => admin.Compute.Keypairs.DeleteAsync(keyName, demoUser, Ct));
        }
    }
}
