using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Recreates a router joining recreated subnets: its interfaces on their copies, and its gateway on the
/// recovery external network the primary's is mapped to. In a drill's bubble it gets no gateway at all.
/// </summary>
public sealed class EnsureRouterStep : StepHandler<EnsureRouterInput, EnsureRouterOutput>
{
    public override string Kind => NetworkPlanning.EnsureRouter;

    public override IReadOnlyList<string> ReadsOutputsOf => [NetworkPlanning.EnsureNetwork];

    public override async Task<EnsureRouterOutput> ExecuteAsync(StepContext c, EnsureRouterInput input, CancellationToken ct)
    {
        var sourceId = input.RouterId;
        var source = c.Manifest.Routers.FirstOrDefault(r => r.Id == sourceId) ?? throw new StepFailedException($"router {sourceId} is not in the manifest");
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, source.Id);
        string? note = null;
        ExternalGateway? gateway = null;
        if (input.ExternalNetwork is { } wanted)
        {
            var external = await c.TargetAdmin.Networking.ListNetworksAsync(new NetworkListOptions { External = true }, ct).FirstOrDefaultAsync(n => n.Id == wanted || n.Name == wanted, ct)
                ?? throw new StepFailedException($"router {source.Name}: the recovery site has no external network '{wanted}'");
            gateway = new ExternalGateway { NetworkId = external.Id };
        }
        else if (source.ExternalNetworkId is not null)
            note = input.Mode == "bubble"
                ? "a drill's bubble has no way out: no external gateway"
                : $"external network {source.ExternalNetworkName ?? source.ExternalNetworkId} is not mapped: no gateway";

        var router = await neutron.ListRoutersAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(r => r.Description == mark, ct)
            ?? await neutron.CreateRouterAsync(new CreateRouterOptions { Name = source.Name, Description = mark, ExternalGatewayInfo = gateway }, ct);
        var have = (await neutron.ListPortsAsync(new NeutronFilter { DeviceId = router.Id }, ct).ToListAsync(ct))
            .SelectMany(p => p.FixedIps).Select(f => f.SubnetId).OfType<string>().ToHashSet();
        var interfaces = new List<string>();
        var copies = c.Outputs<EnsureNetworkOutput>(NetworkPlanning.EnsureNetwork).Select(o => o.Output.Subnets).ToList();
        foreach (var old in input.Subnets)
        {
            var subnet = copies.Select(s => s.GetValueOrDefault(old)).FirstOrDefault(x => x is not null)
                ?? throw new StepFailedException($"subnet {old} of router {source.Name} was not recreated");
            if (!have.Contains(subnet)) await neutron.AddRouterInterfaceAsync(router.Id, subnet, ct);
            interfaces.Add(subnet);
        }
        return new EnsureRouterOutput(router.Id, router.Name, gateway?.NetworkId, interfaces, note);
    }
}
