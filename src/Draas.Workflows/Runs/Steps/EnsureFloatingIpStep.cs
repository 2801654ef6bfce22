using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Gives a recovered server's port a floating IP again, from the recovery external network the
/// primary's is mapped to (the address itself is the recovery site's: public addresses do not move).</summary>
public sealed class EnsureFloatingIpStep : IStepHandler
{
    public string Kind => NetworkPlanning.EnsureFloatingIp;

    public IReadOnlyList<string> ReadsOutputsOf => [NetworkPlanning.EnsurePort];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var portId = c.Output(NetworkPlanning.EnsurePort, c.Required("port_id"))?["port_id"]?.GetValue<string>()
            ?? throw new StepFailedException($"the port of {c.Input["server"]} was not recreated");
        var wanted = c.Input["external_network"]?.GetValue<string>() ?? throw new StepFailedException($"floating IP {c.Input["address"]}: its external network is not mapped");
        var external = await c.TargetAdmin.Networking.ListNetworksAsync(new NetworkListOptions { External = true }, ct).FirstOrDefaultAsync(n => n.Id == wanted || n.Name == wanted, ct)
            ?? throw new StepFailedException($"the recovery site has no external network '{wanted}'");
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, c.Required("floating_ip_id"));
        var fip = await neutron.ListFloatingIpsAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(f => f.Description == mark, ct)
            ?? await neutron.CreateFloatingIpAsync(new CreateFloatingIpOptions { FloatingNetworkId = external.Id, PortId = portId, Description = mark }, ct);
        return new { floating_ip_id = fip.Id, address = fip.FloatingIpAddress, was = c.Input["address"]?.GetValue<string>(), port_id = fip.PortId, fixed_ip_address = fip.FixedIpAddress };
    }
}
