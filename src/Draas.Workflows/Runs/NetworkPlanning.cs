using System.Text.Json.Nodes;
using Draas.Domain.Manifests;
using Draas.Domain.Runs;
using Draas.Workflows.Runs.Steps;

namespace Draas.Workflows.Runs;

/// <summary>
/// The Neutron and Nova-placement part of a run's plan: which of the tenant's networks are mapped onto
/// recovery networks that exist (<c>map</c>), recreated from the manifest (<c>create</c>: the mapping's value
/// is the word <c>create</c>), or copied into a drill's bubble (every network of an isolated drill: no
/// external gateway, no floating IP, never a production network); the security groups, server groups and
/// ports to make before the servers boot on those ports; and the floating IPs to attach afterwards.
/// </summary>
public static class NetworkPlanning
{
    public const string EnsureNetwork = "ensure_network";
    public const string EnsureRouter = "ensure_router";
    public const string EnsureSecurityGroups = "ensure_security_groups";
    public const string EnsureServerGroup = "ensure_server_group";
    public const string EnsurePort = "ensure_port";
    public const string EnsureFloatingIp = "ensure_floating_ip";

    /// <summary>The mapping value that asks for a network to be recreated rather than mapped.</summary>
    public const string CreateWord = "create";

    public sealed record Planned(IReadOnlyDictionary<string, List<int>> PortsByServer, IReadOnlyDictionary<string, int> ServerGroups);

    public delegate int AddStep(int phase, string kind, string? target, object input, IEnumerable<int> after);

    /// <summary>map, create or bubble for a network of the manifest.</summary>
    public static string Mode(PlanningInput input, string networkId, string? networkName, IReadOnlyDictionary<string, string> mapping) =>
        Mode(input.Kind, input.Options, networkId, networkName, mapping);

    public static string Mode(RunKind kind, RunOptions options, string networkId, string? networkName, IReadOnlyDictionary<string, string> mapping)
    {
        if (kind == RunKind.Drill && !options.DrillOnMappedNetworks) return "bubble";
        var to = mapping.GetValueOrDefault(networkId) ?? (networkName is null ? null : mapping.GetValueOrDefault(networkName));
        return to == CreateWord ? "create" : "map";
    }

    public static Planned Plan(PlanningInput input, IReadOnlyDictionary<string, string> mapping, AddStep add, int preflight)
    {
        var m = input.Manifest;
        var networkSteps = new Dictionary<string, int>();
        foreach (var network in m.TenantNetworks.Where(n => !n.External).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            var mode = Mode(input, network.Id, network.Name, mapping);
            if (mode == "map") continue;
            networkSteps[network.Id] = add(3, EnsureNetwork, network.Id, new EnsureNetworkInput(network.Id, network.Name, mode,
                [.. m.Subnets.Where(s => s.NetworkId == network.Id).OrderBy(s => s.Cidr, StringComparer.Ordinal).Select(s => new PlannedSubnet(s.Id, s.Name, s.Cidr, s.GatewayIp))]), [preflight]);
        }
        var routerSteps = new Dictionary<string, List<int>>();
        foreach (var router in m.Routers.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var networks = router.InterfaceSubnetIds.Select(id => m.Subnets.FirstOrDefault(s => s.Id == id)?.NetworkId).OfType<string>().Distinct().ToList();
            var made = networks.Where(networkSteps.ContainsKey).ToList();
            if (made.Count == 0) continue;
            var bubble = input.Kind == RunKind.Drill && !input.Options.DrillOnMappedNetworks;
            var routerStep = add(3, EnsureRouter, router.Id, new EnsureRouterInput(router.Id, router.Name, bubble ? "bubble" : "create",
                // A bubble has no way out; a recreated router gets its gateway on the mapped external network.
                bubble || router.ExternalNetworkName is null ? null
                    : mapping.GetValueOrDefault(router.ExternalNetworkName) ?? mapping.GetValueOrDefault(router.ExternalNetworkId ?? ""),
                [.. router.InterfaceSubnetIds.Where(id => m.Subnets.Any(s => s.Id == id && networkSteps.ContainsKey(s.NetworkId)))]), made.Select(n => networkSteps[n]));
            foreach (var n in made) (routerSteps.TryGetValue(n, out var l) ? l : routerSteps[n] = []).Add(routerStep);
        }

        var groupsStep = (int?)null;
        if (m.SecurityGroups.Count > 0)
        {
            groupsStep = add(3, EnsureSecurityGroups, null, new EnsureSecurityGroupsInput([.. m.SecurityGroups.OrderBy(g => g.Name, StringComparer.Ordinal)
                .Select(g => new PlannedSecurityGroup(g.Id, g.Name, g.Rules.Count, [.. g.Rules.Select(r => r.RemoteGroupId).OfType<string>().Distinct()
                    .Select(id => m.SecurityGroups.FirstOrDefault(x => x.Id == id)?.Name ?? id)]))]), [preflight]);
        }

        var serverGroups = new Dictionary<string, int>();
        foreach (var group in m.ServerGroups.Where(g => m.Servers.Any(s => s.ServerGroupId == g.Id)).OrderBy(g => g.Name, StringComparer.Ordinal))
            serverGroups[group.Id] = add(3, EnsureServerGroup, group.Id, new EnsureServerGroupInput(group.Id, group.Name, group.Policy), [preflight]);

        var ports = new Dictionary<string, List<int>>();
        foreach (var server in m.Servers.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var list = ports[server.Id] = [];
            for (var i = 0; i < server.Nics.Count; i++)
            {
                var nic = server.Nics[i];
                var after = new List<int> { preflight };
                if (networkSteps.TryGetValue(nic.NetworkId, out var net)) after.Add(net);
                if (routerSteps.TryGetValue(nic.NetworkId, out var routers)) after.AddRange(routers);
                if (groupsStep is { } g && nic.SecurityGroupIds.Count > 0) after.Add(g);
                list.Add(add(3, EnsurePort, nic.PortId, new EnsurePortInput(nic.PortId, server.Id, server.Name, i, nic.NetworkId, nic.NetworkName,
                    Mode(input, nic.NetworkId, nic.NetworkName, mapping), [.. nic.FixedIps.Select(f => f.IpAddress)], input.Options.KeepFixedIps,
                    [.. nic.SecurityGroupIds.Select(id => m.SecurityGroups.FirstOrDefault(x => x.Id == id)?.Name ?? id)], nic.PortSecurityEnabled, nic.AllowedAddressPairs.Count), after));
            }
        }
        return new Planned(ports, serverGroups);
    }

    /// <summary>Floating IPs, after their server booted, when the run asks for them (never in a bubble).</summary>
    public static void PlanFloatingIps(PlanningInput input, IReadOnlyDictionary<string, string> mapping, AddStep add, IReadOnlyDictionary<string, int> booted,
        IReadOnlyDictionary<string, int> phaseOf)
    {
        if (!input.Options.FloatingIps || (input.Kind == RunKind.Drill && !input.Options.DrillOnMappedNetworks)) return;
        foreach (var fip in input.Manifest.FloatingIps.OrderBy(f => f.Address, StringComparer.Ordinal))
        {
            var server = input.Manifest.Servers.FirstOrDefault(s => s.Nics.Any(n => n.PortId == fip.PortId));
            if (server is null || !booted.TryGetValue(server.Id, out var boot)) continue;
            add(phaseOf[server.Id], EnsureFloatingIp, fip.Id, new EnsureFloatingIpInput(fip.Id, fip.Address, server.Id, server.Name, fip.PortId!, fip.FixedIpAddress,
                (fip.FloatingNetworkName is null ? null : mapping.GetValueOrDefault(fip.FloatingNetworkName)) ?? mapping.GetValueOrDefault(fip.FloatingNetworkId)), [boot]);
        }
    }

    /// <summary>The report's <c>network</c> section: per kind, what each step made, with its source id (a port's
    /// output says which fixed addresses changed and why).</summary>
    public static JsonObject Report(IEnumerable<Step> steps)
    {
        var section = new JsonObject();
        foreach (var (kind, key) in new[]
        {
            (EnsureNetwork, "networks"), (EnsureRouter, "routers"), (EnsureSecurityGroups, "security_groups"),
            (EnsureServerGroup, "server_groups"), (EnsurePort, "ports"), (EnsureFloatingIp, "floating_ips"),
        })
        {
            section[key] = new JsonArray([.. steps.Where(s => s.Kind == kind).OrderBy(s => s.Sequence).Select(s =>
            {
                var entry = RunJson.Object(s.Output);
                entry["source_id"] = s.Target;
                entry["state"] = RunPlanner.Word(s.State);
                return (JsonNode)entry;
            })]);
        }
        return section;
    }
}
