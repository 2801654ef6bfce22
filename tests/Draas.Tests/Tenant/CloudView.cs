using System.Security.Cryptography;
using System.Text;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Networking;

namespace Draas.Tests.Tenant;

/// <summary>
/// One project as a cloud shows it to its admin, written as plain lines with ids replaced by names: the
/// project's networks and subnets, routers (gateway network by name, interfaces by subnet), security groups
/// with every rule (remote groups by name), servers (ports in NIC order with network, fixed IPs, MAC, groups
/// and address pairs; key, server group and policy, zone, tags, config drive, user data, attached devices),
/// floating IPs by the server and fixed address they point at, and the keypairs of the servers' owner.
/// Two clouds' views of the same tenant are equal line for line when it was rebuilt whole.
/// </summary>
public static class CloudView
{
    public static async Task<List<string>> OfAsync(KeystoneSession admin, string projectId, string keyOwnerName, CancellationToken ct)
    {
        var n = admin.Networking;
        var lines = new List<string>();
        var networks = await n.ListNetworksAsync(null, ct).ToDictionaryAsync(x => x.Id, cancellationToken: ct);
        var subnets = await n.ListSubnetsAsync(null, null, ct).ToDictionaryAsync(x => x.Id, cancellationToken: ct);
        var ports = await n.ListPortsAsync(null, ct).ToListAsync(ct);
        foreach (var net in networks.Values.Where(x => x.ProjectId == projectId))
        {
            foreach (var s in subnets.Values.Where(s => s.NetworkId == net.Id))
                lines.Add($"network {net.Name}: subnet {s.Name} {s.Cidr} gateway {s.GatewayIp} pools {string.Join(",", s.AllocationPools.Select(p => $"{p.Start}-{p.End}"))} "
                    + $"dns {string.Join(",", s.DnsNameservers)} routes {string.Join(",", s.HostRoutes.Select(r => $"{r.Destination}>{r.Nexthop}"))} dhcp {s.EnableDhcp}");
        }
        foreach (var r in await n.ListRoutersAsync(new NeutronFilter { ProjectId = projectId }, ct).ToListAsync(ct))
        {
            var interfaces = ports.Where(p => p.DeviceId == r.Id && p.DeviceOwner == "network:router_interface")
                .SelectMany(p => p.FixedIps).Select(f => $"{subnets[f.SubnetId!].Name}={f.IpAddress}").Order();
            lines.Add($"router {r.Name}: gateway {(r.ExternalGatewayInfo is { } g ? networks[g.NetworkId].Name : "none")} interfaces {string.Join(",", interfaces)}");
        }
        var groups = await n.ListSecurityGroupsAsync(new NeutronFilter { ProjectId = projectId }, ct).ToDictionaryAsync(g => g.Id, cancellationToken: ct);
        foreach (var g in groups.Values)
        {
            foreach (var rule in g.SecurityGroupRules)
                lines.Add($"security group {g.Name}: {rule.Direction} {rule.Ethertype} {rule.Protocol ?? "any"} {rule.PortRangeMin}-{rule.PortRangeMax} "
                    + $"from {(rule.RemoteGroupId is { } rg ? "group " + groups[rg].Name : rule.RemoteIpPrefix ?? "anywhere")}");
        }

        var servers = await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true, ProjectId = projectId }, ct).ToListAsync(ct);
        var serverGroups = await admin.Compute.ServerGroups.ListAsync(true, ct).Where(g => g.ProjectId == projectId).ToListAsync(ct);
        var volumes = await admin.BlockStorage.Volumes.ListAsync(new Draas.OpenStack.BlockStorage.Volumes.VolumeListOptions { AllTenants = true, ProjectId = projectId }, ct).ToDictionaryAsync(v => v.Id, cancellationToken: ct);
        foreach (var s in servers)
        {
            var group = serverGroups.FirstOrDefault(g => g.Members.Contains(s.Id));
            var userData = s.UserData is null ? "none" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s.UserData)))[..12];
            lines.Add($"server {s.Name}: key {s.KeyName} group {group?.Name ?? "none"} ({group?.Policy}) zone {s.AvailabilityZone} tags {string.Join(",", s.Tags)} "
                + $"config drive {s.ConfigDrive is "True"} user data {userData}");
            foreach (var p in ports.Where(p => p.DeviceId == s.Id))
            {
                lines.Add($"server {s.Name} port: {networks[p.NetworkId].Name} {string.Join(",", p.FixedIps.Select(f => f.IpAddress))} mac {p.MacAddress} "
                    + $"groups {string.Join(",", p.SecurityGroups.Select(id => groups[id].Name).Order())} port security {p.PortSecurityEnabled} "
                    + $"pairs {string.Join(",", p.AllowedAddressPairs.Select(a => a.IpAddress))}");
            }
            foreach (var a in (await admin.Compute.VolumeAttachments.ListAsync(s.Id, ct)).OrderBy(a => a.Device, StringComparer.Ordinal))
                lines.Add($"server {s.Name} disk {a.Device}: {volumes.GetValueOrDefault(a.VolumeId)?.Name}");
        }
        foreach (var g in serverGroups)
        {
            var members = servers.Where(s => g.Members.Contains(s.Id)).ToList();
            lines.Add($"server group {g.Name} {g.Policy}: members {string.Join(",", members.Select(m => m.Name).Order())} on {members.Select(m => m.HostId).Distinct().Count()} hosts");
        }
        foreach (var f in await n.ListFloatingIpsAsync(new NeutronFilter { ProjectId = projectId }, ct).ToListAsync(ct))
        {
            var port = ports.FirstOrDefault(p => p.Id == f.PortId);
            var server = servers.FirstOrDefault(s => s.Id == port?.DeviceId);
            lines.Add($"floating ip on {server?.Name ?? "nothing"} {f.FixedIpAddress} from {networks[f.FloatingNetworkId].Name}");
        }
        var owner = await admin.Identity.ListUsersAsync(keyOwnerName, null, ct).FirstAsync(ct);
        foreach (var k in await admin.Compute.Keypairs.ListAsync(owner.Id, ct).ToListAsync(ct))
            lines.Add($"keypair {k.Name} of {keyOwnerName}: {k.PublicKey}");
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>What a site holds in Neutron and Nova's per-project objects, by id: a drill must leave it unchanged.</summary>
    public static async Task<List<string>> InventoryAsync(KeystoneSession admin, string keyOwnerName, CancellationToken ct)
    {
        var n = admin.Networking;
        var lines = new List<string>();
        lines.AddRange(await n.ListNetworksAsync(null, ct).Select(x => $"network {x.Id} {x.Name} {x.ProjectId}").ToListAsync(ct));
        lines.AddRange(await n.ListSubnetsAsync(null, null, ct).Select(x => $"subnet {x.Id} {x.Cidr}").ToListAsync(ct));
        lines.AddRange(await n.ListPortsAsync(null, ct).Select(x => $"port {x.Id} {x.NetworkId} {x.DeviceOwner}").ToListAsync(ct));
        lines.AddRange(await n.ListRoutersAsync(null, ct).Select(x => $"router {x.Id} {x.Name}").ToListAsync(ct));
        lines.AddRange(await n.ListSecurityGroupsAsync(null, ct).Select(x => $"security group {x.Id} {x.Name} {x.ProjectId}").ToListAsync(ct));
        lines.AddRange(await n.ListFloatingIpsAsync(null, ct).Select(x => $"floating ip {x.Id} {x.FloatingIpAddress}").ToListAsync(ct));
        lines.AddRange(await admin.Compute.ServerGroups.ListAsync(true, ct).Select(x => $"server group {x.Id} {x.Name}").ToListAsync(ct));
        var owner = await admin.Identity.ListUsersAsync(keyOwnerName, null, ct).FirstAsync(ct);
        lines.AddRange(await admin.Compute.Keypairs.ListAsync(owner.Id, ct).Select(k => $"keypair {k.Name} of {keyOwnerName}").ToListAsync(ct));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
