using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Recreates one of the tenant's networks in the target project with its subnets as captured (CIDR,
/// gateway, allocation pools, DNS, host routes, DHCP): for a network mapped with <c>create</c>, and for
/// every network of an isolated drill, whose copies are its bubble. Each object carries the run's mark in
/// its description, so a retry finds what an earlier attempt made.
/// </summary>
public sealed class EnsureNetworkStep : StepHandler<EnsureNetworkInput, EnsureNetworkOutput>
{
    public override string Kind => NetworkPlanning.EnsureNetwork;

    public override async Task<EnsureNetworkOutput> ExecuteAsync(StepContext c, EnsureNetworkInput input, CancellationToken ct)
    {
        var sourceId = input.NetworkId;
        var source = c.Manifest.TenantNetworks.FirstOrDefault(n => n.Id == sourceId) ?? throw new StepFailedException($"network {sourceId} is not in the manifest");
        var neutron = c.TargetProject.Networking;
        var project = c.TargetProjectId!;
        var mark = RunNames.NeutronMark(c.RunMark, source.Id);
        var network = await neutron.ListNetworksAsync(new NetworkListOptions { ProjectId = project }, ct).FirstOrDefaultAsync(n => n.Description == mark, ct)
            ?? await neutron.CreateNetworkAsync(new CreateNetworkOptions { Name = source.Name, Description = mark, PortSecurityEnabled = source.PortSecurityEnabled }, ct);
        var existing = await neutron.ListSubnetsAsync(network.Id, null, ct).ToListAsync(ct);
        var subnets = new Dictionary<string, string>();
        foreach (var s in c.Manifest.Subnets.Where(s => s.NetworkId == source.Id))
        {
            var subnetMark = RunNames.NeutronMark(c.RunMark, s.Id);
            var made = existing.FirstOrDefault(x => x.Description == subnetMark) ?? await neutron.CreateSubnetAsync(new CreateSubnetOptions
            {
                NetworkId = network.Id,
                Name = s.Name,
                Cidr = s.Cidr,
                GatewayIp = s.GatewayIp,
                NoGateway = s.GatewayIp is null,
                AllocationPools = s.AllocationPools.Count == 0 ? null : [.. s.AllocationPools.Select(p => new AllocationPool { Start = p.Start, End = p.End })],
                DnsNameservers = s.DnsNameservers.Count == 0 ? null : s.DnsNameservers,
                HostRoutes = s.HostRoutes.Count == 0 ? null : [.. s.HostRoutes.Select(r => new HostRoute { Destination = r.Destination, Nexthop = r.Nexthop })],
                EnableDhcp = s.EnableDhcp,
                Description = subnetMark,
            }, ct);
            subnets[s.Id] = made.Id;
        }
        return new EnsureNetworkOutput(network.Id, network.Name, input.Mode, subnets);
    }
}
