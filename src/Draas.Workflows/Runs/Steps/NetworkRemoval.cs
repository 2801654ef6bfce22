using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// What a run made in Neutron and in Nova's per-project objects, removed: floating IPs, ports, routers
/// (interfaces first), subnets and networks, security groups, server groups. A drill's project is its own,
/// so everything in it goes (the project's <c>default</c> group too: Neutron keeps a deleted project's
/// groups forever), and the tenant user's copies of the drill's keypairs. A rolled-back recovery shares the
/// tenant's project, so only what it made goes (<see cref="Only"/>). Each removal is listed.
/// </summary>
public static class NetworkRemoval
{
    public static readonly string[] Kinds = ["floating_ips", "ports", "routers", "subnets", "networks", "security_groups", "server_groups", "tenant_keypairs"];

    /// <summary>One run's objects in a project it shares: the Neutron objects carrying its mark in their
    /// description, and the security groups and server groups it created.</summary>
    public sealed record Only(string RunMark, IReadOnlySet<string> SecurityGroupIds, IReadOnlySet<string> ServerGroupIds)
    {
        public bool Marked(string? description) => RunNames.IsMarked(description, RunMark);
    }

    /// <summary>Call after the run's servers are gone (and, for a drill, before its project is deleted).</summary>
    public static async Task RemoveAsync(StepContext c, string project, Dictionary<string, List<string>> removed, CancellationToken ct, Only? only = null)
    {
        foreach (var kind in Kinds) removed.TryAdd(kind, []);
        var session = c.TargetProject;
        var neutron = session.Networking;
        var mine = new NeutronFilter { ProjectId = project };
        foreach (var f in await neutron.ListFloatingIpsAsync(mine, ct).Where(f => only?.Marked(f.Description) ?? true).ToListAsync(ct))
        {
            await neutron.DeleteFloatingIpAsync(f.Id, ct);
            removed["floating_ips"].Add($"{f.Id} {f.FloatingIpAddress}");
        }
        foreach (var g in await session.Compute.ServerGroups.ListAsync(false, ct).Where(g => only?.ServerGroupIds.Contains(g.Id) ?? true).ToListAsync(ct))
        {
            await session.Compute.ServerGroups.DeleteAsync(g.Id, ct);
            removed["server_groups"].Add($"{g.Id} {g.Name}");
        }
        var ports = await neutron.ListPortsAsync(mine, ct).ToListAsync(ct);
        foreach (var p in ports.Where(p => (p.DeviceOwner is null || !p.DeviceOwner.StartsWith("network:", StringComparison.Ordinal)) && (only?.Marked(p.Description) ?? true)))
        {
            await neutron.DeletePortAsync(p.Id, ct);
            removed["ports"].Add($"{p.Id} {p.Name}");
        }
        foreach (var r in await neutron.ListRoutersAsync(mine, ct).Where(r => only?.Marked(r.Description) ?? true).ToListAsync(ct))
        {
            foreach (var subnet in ports.Where(p => p.DeviceId == r.Id && p.DeviceOwner == "network:router_interface").SelectMany(p => p.FixedIps).Select(f => f.SubnetId).OfType<string>().Distinct())
                await neutron.RemoveRouterInterfaceAsync(r.Id, subnet, ct);
            if (r.ExternalGatewayInfo is not null) await neutron.SetRouterGatewayAsync(r.Id, null, ct);
            await neutron.DeleteRouterAsync(r.Id, ct);
            removed["routers"].Add($"{r.Id} {r.Name}");
        }
        foreach (var n in await neutron.ListNetworksAsync(new NetworkListOptions { ProjectId = project }, ct).Where(n => only?.Marked(n.Description) ?? true).ToListAsync(ct))
        {
            foreach (var s in await neutron.ListSubnetsAsync(n.Id, null, ct).ToListAsync(ct))
            {
                await neutron.DeleteSubnetAsync(s.Id, ct);
                removed["subnets"].Add($"{s.Id} {s.Name} {s.Cidr}");
            }
            await neutron.DeleteNetworkAsync(n.Id, ct);
            removed["networks"].Add($"{n.Id} {n.Name}");
        }
        // Groups that name others as remote go first; deleting a group removes rules naming it anyway.
        foreach (var g in await neutron.ListSecurityGroupsAsync(mine, ct).Where(g => only?.SecurityGroupIds.Contains(g.Id) ?? true).ToListAsync(ct))
        {
            await neutron.DeleteSecurityGroupAsync(g.Id, ct);
            removed["security_groups"].Add($"{g.Id} {g.Name}");
        }
        if (only is not null) return;
        foreach (var (_, output) in c.Outputs<EnsureKeypairOutput>(RunPlanner.EnsureKeypair))
        {
            if (output.TenantUserId is not { } user) continue;
            var name = output.Name;
            if (!name.StartsWith(c.DrillPrefix, StringComparison.Ordinal)) continue;
            try
            {
                await c.TargetAdmin.Compute.Keypairs.DeleteAsync(name, user, ct);
                removed["tenant_keypairs"].Add($"{name} of {user}");
            }
            catch (Draas.OpenStack.OpenStackException e) when (e.IsNotFound)
            {
            }
        }
    }
}
