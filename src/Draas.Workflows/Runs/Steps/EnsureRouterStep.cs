using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Recreates a router joining recreated subnets: its interfaces on their copies, and its gateway on the
/// recovery external network the primary's is mapped to. In a drill's bubble it gets no gateway at all.
/// </summary>
public sealed class EnsureRouterStep : IStepHandler
{
    public string Kind => NetworkPlanning.EnsureRouter;

    public IReadOnlyList<string> ReadsOutputsOf => [NetworkPlanning.EnsureNetwork];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var sourceId = c.Required("router_id");
        var source = c.Manifest.Routers.FirstOrDefault(r => r.Id == sourceId) ?? throw new StepFailedException($"router {sourceId} is not in the manifest");
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, source.Id);
        string? note = null;
        ExternalGateway? gateway = null;
        if (c.Input["external_network"]?.GetValue<string>() is { } wanted)
        {
            var external = await c.TargetAdmin.Networking.ListNetworksAsync(new NetworkListOptions { External = true }, ct).FirstOrDefaultAsync(n => n.Id == wanted || n.Name == wanted, ct)
                ?? throw new StepFailedException($"router {source.Name}: the recovery site has no external network '{wanted}'");
            gateway = new ExternalGateway { NetworkId = external.Id };
        }
        else if (source.ExternalNetworkId is not null)
            note = c.Input["mode"]?.GetValue<string>() == "bubble"
                ? "a drill's bubble has no way out: no external gateway"
                : $"external network {source.ExternalNetworkName ?? source.ExternalNetworkId} is not mapped: no gateway";

        var router = await neutron.ListRoutersAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(r => r.Description == mark, ct)
            ?? await neutron.CreateRouterAsync(new CreateRouterOptions { Name = source.Name, Description = mark, ExternalGatewayInfo = gateway }, ct);
        var have = (await neutron.ListPortsAsync(new NeutronFilter { DeviceId = router.Id }, ct).ToListAsync(ct))
            .SelectMany(p => p.FixedIps).Select(f => f.SubnetId).OfType<string>().ToHashSet();
        var interfaces = new List<string>();
        foreach (var old in c.Input["subnets"]!.AsArray().Select(x => x!.GetValue<string>()))
        {
            var subnet = c.Outputs(NetworkPlanning.EnsureNetwork).Select(o => o.Output["subnets"]?[old]?.GetValue<string>()).FirstOrDefault(x => x is not null)
                ?? throw new StepFailedException($"subnet {old} of router {source.Name} was not recreated");
            if (!have.Contains(subnet)) await neutron.AddRouterInterfaceAsync(router.Id, subnet, ct);
            interfaces.Add(subnet);
        }
        return new { router_id = router.Id, name = router.Name, external_network_id = gateway?.NetworkId, interfaces, note };
    }
}
