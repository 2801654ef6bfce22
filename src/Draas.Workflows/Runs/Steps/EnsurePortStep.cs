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
public sealed class EnsurePortStep : StepHandler<EnsurePortInput, EnsurePortOutput>
{
    public override string Kind => NetworkPlanning.EnsurePort;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.Preflight, NetworkPlanning.EnsureNetwork, NetworkPlanning.EnsureSecurityGroups];

    public override async Task<EnsurePortOutput> ExecuteAsync(StepContext c, EnsurePortInput input, CancellationToken ct)
    {
        var server = c.Server(input.ServerId);
        var nic = server.Nics.FirstOrDefault(n => n.PortId == input.PortId) ?? throw new StepFailedException($"port {input.PortId} of {server.Name} is not in the manifest");
        var mode = input.Mode;
        var neutron = c.TargetProject.Networking;
        var mark = RunNames.NeutronMark(c.RunMark, nic.PortId);

        // Nothing of this step ran before: there is no port of an earlier attempt to find (a list of the project's ports).
        var mine = c.Untouched ? null : await neutron.ListPortsAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).FirstOrDefaultAsync(p => p.Description == mark, ct);
        if (mine is not null) return Output(mine, [], mode);

        string networkId;
        IReadOnlyDictionary<string, string>? subnetCopies = null;
        if (mode == "map")
        {
            var resolved = c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.Networks;
            networkId = resolved?.GetValueOrDefault(nic.NetworkId) ?? resolved?.GetValueOrDefault(nic.NetworkName ?? "")
                ?? throw new StepFailedException($"network {nic.NetworkName ?? nic.NetworkId} of {server.Name} is not mapped");
        }
        else
        {
            var made = c.Output<EnsureNetworkOutput>(NetworkPlanning.EnsureNetwork, nic.NetworkId) ?? throw new StepFailedException($"network {nic.NetworkName} was not recreated");
            networkId = made.NetworkId;
            subnetCopies = made.Subnets;
        }

        var keep = input.KeepFixedIps;
        var changes = new List<AddressChange>();
        var wanted = new List<FixedIp>();
        var subnets = subnetCopies is null ? await neutron.ListSubnetsAsync(networkId, null, ct).ToListAsync(ct) : [];
        foreach (var ip in nic.FixedIps)
        {
            if (!keep)
            {
                changes.Add(new AddressChange(ip.IpAddress, "keep_fixed_ips is false"));
                continue;
            }
            var subnet = subnetCopies?.GetValueOrDefault(ip.SubnetId) ?? subnets.FirstOrDefault(s => Contains(s.Cidr, ip.IpAddress))?.Id;
            if (subnet is null) changes.Add(new AddressChange(ip.IpAddress, $"no subnet of the recovery network holds {ip.IpAddress}"));
            else wanted.Add(new FixedIp { SubnetId = subnet, IpAddress = ip.IpAddress });
        }

        var groups = c.Output<EnsureSecurityGroupsOutput>(NetworkPlanning.EnsureSecurityGroups, null)?.Groups;
        var options = new CreatePortOptions
        {
            NetworkId = networkId,
            Name = $"{server.Name}-nic{input.Nic}",
            Description = mark,
            FixedIps = wanted.Count == 0 ? null : wanted,
            MacAddress = mode == "map" ? null : nic.Mac,
            PortSecurityEnabled = nic.PortSecurityEnabled,
            SecurityGroups = nic.PortSecurityEnabled
                ? [.. nic.SecurityGroupIds.Select(id => groups?.GetValueOrDefault(id)?.Id ?? throw new StepFailedException($"security group {id} of {server.Name} was not recreated"))]
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
            foreach (var w in wanted) changes.Add(new AddressChange(w.IpAddress, $"in use at the recovery site ({e.ServiceMessage})"));
            port = await neutron.CreatePortAsync(options with { FixedIps = null }, ct);
        }
        return Output(port, changes, mode);
    }

    private static EnsurePortOutput Output(Port port, List<AddressChange> changes, string mode) =>
        new(port.Id, port.NetworkId, mode, [.. port.FixedIps.Select(f => f.IpAddress).OfType<string>()], port.MacAddress, port.SecurityGroups, changes);

    private static bool Contains(string cidr, string address) =>
        IPNetwork.TryParse(cidr, out var net) && IPAddress.TryParse(address, out var ip) && net.Contains(ip);
}
