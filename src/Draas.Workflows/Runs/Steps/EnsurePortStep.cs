using System.Net;
using Draas.OpenStack;
using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Makes one of a server's ports before the server boots on it: on the mapped recovery network (or the
/// network's copy), with its security groups' recovered ids, port security and allowed address pairs. Its
/// fixed addresses are kept where the recovery subnet holds them and they are free; otherwise Neutron
/// gives a new one and the step's output says which address changed and why. A recreated network also
/// keeps the MAC.
/// </summary>
public sealed class EnsurePortStep : IStepHandler
{
    public string Kind => NetworkPlanning.EnsurePort;

    public IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.Preflight, NetworkPlanning.EnsureNetwork, NetworkPlanning.EnsureSecurityGroups];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var server = c.Server(c.Required("server_id"));
        var nic = server.Nics.FirstOrDefault(n => n.PortId == c.Required("port_id")) ?? throw new StepFailedException($"port {c.Required("port_id")} of {server.Name} is not in the manifest");
        var mode = c.Input["mode"]?.GetValue<string>() ?? "map";
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, nic.PortId);

        var mine = await neutron.ListPortsAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(p => p.Description == mark, ct);
        if (mine is not null) return Output(mine, [], mode);

        string networkId;
        Dictionary<string, string>? subnetCopies = null;
        if (mode == "map")
        {
            networkId = c.Output(RunPlanner.Preflight, null)?["networks"]?[nic.NetworkId]?.GetValue<string>()
                ?? c.Output(RunPlanner.Preflight, null)?["networks"]?[nic.NetworkName ?? ""]?.GetValue<string>()
                ?? throw new StepFailedException($"network {nic.NetworkName ?? nic.NetworkId} of {server.Name} is not mapped");
        }
        else
        {
            var made = c.Output(NetworkPlanning.EnsureNetwork, nic.NetworkId) ?? throw new StepFailedException($"network {nic.NetworkName} was not recreated");
            networkId = made["network_id"]!.GetValue<string>();
            subnetCopies = made["subnets"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        }

        var keep = c.Input["keep_fixed_ips"]?.GetValue<bool>() ?? true;
        var changes = new List<object>();
        var wanted = new List<FixedIp>();
        var subnets = subnetCopies is null ? await neutron.ListSubnetsAsync(networkId, null, ct).ToListAsync(ct) : [];
        foreach (var ip in nic.FixedIps)
        {
            if (!keep)
            {
                changes.Add(new { from = ip.IpAddress, reason = "keep_fixed_ips is false" });
                continue;
            }
            var subnet = subnetCopies?.GetValueOrDefault(ip.SubnetId) ?? subnets.FirstOrDefault(s => Contains(s.Cidr, ip.IpAddress))?.Id;
            if (subnet is null) changes.Add(new { from = ip.IpAddress, reason = $"no subnet of the recovery network holds {ip.IpAddress}" });
            else wanted.Add(new FixedIp { SubnetId = subnet, IpAddress = ip.IpAddress });
        }

        var groups = c.Output(NetworkPlanning.EnsureSecurityGroups, null)?["groups"]?.AsObject();
        var options = new CreatePortOptions
        {
            NetworkId = networkId,
            Name = $"{server.Name}-nic{c.Input["nic"]?.GetValue<int>() ?? 0}",
            Description = mark,
            FixedIps = wanted.Count == 0 ? null : wanted,
            MacAddress = mode == "map" ? null : nic.Mac,
            PortSecurityEnabled = nic.PortSecurityEnabled,
            SecurityGroups = nic.PortSecurityEnabled
                ? [.. nic.SecurityGroupIds.Select(id => groups?[id]?["id"]?.GetValue<string>() ?? throw new StepFailedException($"security group {id} of {server.Name} was not recreated"))]
                : [],
            AllowedAddressPairs = nic.AllowedAddressPairs.Count == 0 ? null
                : [.. nic.AllowedAddressPairs.Select(a => new AddressPair { IpAddress = a.IpAddress, MacAddress = mode == "map" ? null : a.Mac })],
        };
        Port port;
        try
        {
            port = await neutron.CreatePortAsync(options, ct);
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.Conflict && wanted.Count > 0 && e.ServiceMessage?.Contains("already allocated") == true)
        {
            // Someone at the recovery site holds the address: take a new one and say so.
            foreach (var w in wanted) changes.Add(new { from = w.IpAddress, reason = $"in use at the recovery site ({e.ServiceMessage})" });
            port = await neutron.CreatePortAsync(options with { FixedIps = null }, ct);
        }
        return Output(port, changes, mode);
    }

    private static object Output(Port port, List<object> changes, string mode) => new
    {
        port_id = port.Id,
        network_id = port.NetworkId,
        mode,
        fixed_ips = port.FixedIps.Select(f => f.IpAddress).ToList(),
        mac = port.MacAddress,
        security_groups = port.SecurityGroups,
        changed = changes,
    };

    private static bool Contains(string cidr, string address) =>
        IPNetwork.TryParse(cidr, out var net) && IPAddress.TryParse(address, out var ip) && net.Contains(ip);
}
