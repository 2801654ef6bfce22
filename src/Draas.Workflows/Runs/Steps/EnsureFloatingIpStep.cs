using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Gives a recovered server's port a floating IP again, from the recovery external network the
/// primary's is mapped to (the address itself is the recovery site's: public addresses do not move).</summary>
public sealed class EnsureFloatingIpStep : StepHandler<EnsureFloatingIpInput, EnsureFloatingIpOutput>
{
    public override string Kind => NetworkPlanning.EnsureFloatingIp;

    public override IReadOnlyList<string> ReadsOutputsOf => [NetworkPlanning.EnsurePort];

    public override async Task<EnsureFloatingIpOutput> ExecuteAsync(StepContext c, EnsureFloatingIpInput input, CancellationToken ct)
    {
        var portId = c.Output<EnsurePortOutput>(NetworkPlanning.EnsurePort, input.PortId)?.PortId
            ?? throw new StepFailedException($"the port of {input.Server} was not recreated");
        var wanted = input.ExternalNetwork ?? throw new StepFailedException($"floating IP {input.Address}: its external network is not mapped");
        var external = await c.TargetAdmin.Networking.ListNetworksAsync(new NetworkListOptions { External = true }, ct).FirstOrDefaultAsync(n => n.Id == wanted || n.Name == wanted, ct)
            ?? throw new StepFailedException($"the recovery site has no external network '{wanted}'");
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, input.FloatingIpId);
        var fip = await neutron.ListFloatingIpsAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(f => f.Description == mark, ct)
            ?? await neutron.CreateFloatingIpAsync(new CreateFloatingIpOptions { FloatingNetworkId = external.Id, PortId = portId, Description = mark }, ct);
        return new EnsureFloatingIpOutput(fip.Id, fip.FloatingIpAddress, input.Address, fip.PortId, fip.FixedIpAddress);
    }
}
