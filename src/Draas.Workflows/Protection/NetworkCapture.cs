using Draas.Domain.Manifests;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Networking;

namespace Draas.Workflows.Protection;

/// <summary>
/// Reads the Neutron side of a tenant's servers from the primary site: each server's ports (fixed IPs,
/// MAC, allowed address pairs, port security, security groups), the networks and subnets they are on,
/// the routers with interfaces on those subnets, every security group the ports use plus the groups their
/// rules name (so remote groups can be remapped), and the floating IPs on the ports.
/// </summary>
public static class NetworkCapture
{
    public sealed record Topology(
        IReadOnlyDictionary<string, IReadOnlyList<NicEntry>> Nics,
        IReadOnlyList<NetworkEntry> Networks,
        IReadOnlyList<SubnetEntry> Subnets,
        IReadOnlyList<RouterEntry> Routers,
        IReadOnlyList<SecurityGroupEntry> SecurityGroups,
        IReadOnlyList<FloatingIpEntry> FloatingIps);

    public static readonly Topology None = new(new Dictionary<string, IReadOnlyList<NicEntry>>(), [], [], [], [], []);

    public static async Task<Topology> ReadAsync(KeystoneSession site, string projectId, IEnumerable<string> serverIds, CancellationToken ct)
    {
        NetworkingClient neutron;
        try
        {
            neutron = site.Networking;
            await neutron.Client.EndpointAsync(ct);
        }
        catch (CatalogEndpointNotFoundException)
        {
            return None; // a site without Neutron: nova-network-less, nothing to capture
        }

        var networks = new Dictionary<string, Network>();
        async Task<Network?> NetworkOf(string id)
        {
            if (networks.TryGetValue(id, out var n)) return n;
            try
            {
                return networks[id] = await neutron.GetNetworkAsync(id, ct);
            }
            catch (OpenStackException e) when (e.IsNotFound)
            {
                return null;
            }
        }

        var nics = new Dictionary<string, IReadOnlyList<NicEntry>>();
        var allPorts = new List<Port>();
        foreach (var serverId in serverIds)
        {
            var ports = await neutron.ListPortsAsync(new NeutronFilter { DeviceId = serverId }, ct).ToListAsync(ct);
            allPorts.AddRange(ports);
            var list = new List<NicEntry>();
            foreach (var p in ports)
            {
                var network = await NetworkOf(p.NetworkId);
                list.Add(new NicEntry(p.Id, p.NetworkId, network?.Name, p.MacAddress,
                    [.. p.FixedIps.Where(f => f.SubnetId is not null && f.IpAddress is not null).Select(f => new FixedIpEntry(f.SubnetId!, f.IpAddress!))],
                    p.PortSecurityEnabled ?? true, [.. p.SecurityGroups.Order(StringComparer.Ordinal)],
                    [.. p.AllowedAddressPairs.Select(a => new AddressPairEntry(a.IpAddress, a.MacAddress))]));
            }
            nics[serverId] = list;
        }

        var subnets = new List<SubnetEntry>();
        foreach (var networkId in allPorts.Select(p => p.NetworkId).Distinct())
        {
            await foreach (var s in neutron.ListSubnetsAsync(networkId, null, ct))
            {
                subnets.Add(new SubnetEntry(s.Id, s.Name, s.NetworkId, s.Cidr, s.GatewayIp,
                    [.. s.AllocationPools.Select(a => new PoolEntry(a.Start, a.End))], [.. s.DnsNameservers],
                    [.. s.HostRoutes.Select(r => new RouteEntry(r.Destination, r.Nexthop))], s.EnableDhcp));
            }
        }

        // Routers: those with an interface port on one of the servers' subnets.
        var subnetIds = subnets.Select(s => s.Id).ToHashSet();
        var routers = new List<RouterEntry>();
        var interfaces = new List<Port>();
        foreach (var networkId in allPorts.Select(p => p.NetworkId).Distinct())
            interfaces.AddRange(await neutron.ListPortsAsync(new NeutronFilter { NetworkId = networkId }, ct)
                .Where(p => p.DeviceOwner is "network:router_interface" or "network:router_interface_distributed" or "network:ha_router_replicated_interface")
                .ToListAsync(ct));
        foreach (var router in await neutron.ListRoutersAsync(new NeutronFilter { ProjectId = projectId }, ct).ToListAsync(ct))
        {
            var on = interfaces.Where(p => p.DeviceId == router.Id).SelectMany(p => p.FixedIps).Select(f => f.SubnetId).OfType<string>()
                .Where(subnetIds.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
            if (on.Count == 0) continue;
            var external = router.ExternalGatewayInfo?.NetworkId;
            routers.Add(new RouterEntry(router.Id, router.Name, external, external is null ? null : (await NetworkOf(external))?.Name, on));
        }

        var networkEntries = new List<NetworkEntry>();
        foreach (var networkId in allPorts.Select(p => p.NetworkId).Distinct())
        {
            if (await NetworkOf(networkId) is not { } n) continue;
            networkEntries.Add(new NetworkEntry(n.Id, n.Name, n.ProjectId == projectId, n.Shared, n.External, n.Mtu, n.PortSecurityEnabled ?? true));
        }

        // Security groups: those on the ports, then every group their rules name, until none is new.
        var groups = new Dictionary<string, SecurityGroupEntry>();
        var pending = new Queue<string>(allPorts.SelectMany(p => p.SecurityGroups).Distinct());
        while (pending.TryDequeue(out var id))
        {
            if (groups.ContainsKey(id)) continue;
            SecurityGroup g;
            try
            {
                g = await neutron.GetSecurityGroupAsync(id, ct);
            }
            catch (OpenStackException e) when (e.IsNotFound)
            {
                continue;
            }
            groups[id] = new SecurityGroupEntry(g.Id, g.Name, g.Description,
                [.. g.SecurityGroupRules.Select(r => new RuleEntry(r.Direction, r.Ethertype, r.Protocol, r.PortRangeMin, r.PortRangeMax, r.RemoteIpPrefix, r.RemoteGroupId, r.Description))
                    .OrderBy(r => $"{r.Direction}|{r.Ethertype}|{r.Protocol}|{r.PortRangeMin}|{r.PortRangeMax}|{r.RemoteIpPrefix}|{r.RemoteGroupId}", StringComparer.Ordinal)]);
            foreach (var remote in g.SecurityGroupRules.Select(r => r.RemoteGroupId).OfType<string>()) pending.Enqueue(remote);
        }

        var portIds = allPorts.Select(p => p.Id).ToHashSet();
        var floating = new List<FloatingIpEntry>();
        await foreach (var f in neutron.ListFloatingIpsAsync(new NeutronFilter { ProjectId = projectId }, ct))
        {
            if (f.PortId is null || !portIds.Contains(f.PortId)) continue;
            floating.Add(new FloatingIpEntry(f.Id, f.FloatingIpAddress, f.FloatingNetworkId, (await NetworkOf(f.FloatingNetworkId))?.Name, f.PortId, f.FixedIpAddress));
        }
        return new Topology(nics, networkEntries, subnets, routers, [.. groups.Values], floating);
    }
}
