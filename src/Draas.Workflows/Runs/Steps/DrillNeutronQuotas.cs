using Draas.OpenStack.Identity;

namespace Draas.Workflows.Runs.Steps;

/// <summary>A drill's project starts with Neutron's default quotas (10 security groups, 100 rules…), which a
/// tenant's copy can outgrow: they are raised to what the bubble and the rebuilt groups need (never lowered).</summary>
public static class DrillNeutronQuotas
{
    public static async Task RaiseAsync(StepContext c, KeystoneSession admin, string project, CancellationToken ct)
    {
        var m = c.Manifest;
        if (m.SecurityGroups.Count == 0 && m.TenantNetworks.Count == 0) return;
        var needs = new Dictionary<string, int>
        {
            // the project's own default group and its four rules come on top
            ["security_group"] = m.SecurityGroups.Count + 1,
            ["security_group_rule"] = m.SecurityGroups.Sum(g => g.Rules.Count) + 4,
            ["network"] = m.TenantNetworks.Count,
            ["subnet"] = m.Subnets.Count,
            ["router"] = m.Routers.Count,
            // the servers' ports, the routers' interfaces
            ["port"] = m.Servers.Sum(s => s.Nics.Count) + m.Routers.Sum(r => r.InterfaceSubnetIds.Count),
        };
        var limits = await admin.Networking.GetQuotaAsync(project, ct);
        var raise = needs.Where(n => limits.TryGetValue(n.Key, out var limit) && limit >= 0 && limit < n.Value).ToDictionary(n => n.Key, n => n.Value);
        if (raise.Count > 0) await admin.Networking.UpdateQuotaAsync(project, raise, ct);
    }
}
