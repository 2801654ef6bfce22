using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Which recovery-site network a mapping's target names. By id anywhere (the operator named it exactly); by
/// name, the tenant's own network at the recovery site first, then a shared or external one, and never another
/// tenant's private network: a busy recovery site has many networks called "private", and an admin's list shows
/// them all (a wave of 100 tenants whose mapping picked the first one filled one tenant's /24 with everyone's ports).
/// </summary>
public static class RecoveryNetworkChoice
{
    /// <returns>The network, or null with why not (none, or several of the same name and kind).</returns>
    public static (Network? Network, string? Why) Resolve(IReadOnlyList<Network> networks, string to, string? tenantProject)
    {
        if (networks.FirstOrDefault(n => n.Id == to) is { } exact) return (exact, null);
        var named = networks.Where(n => n.Name == to).ToList();
        foreach (var candidates in new[]
                 {
                     named.Where(n => tenantProject is not null && n.ProjectId == tenantProject).ToList(),
                     named.Where(n => n.Shared || n.External).ToList(),
                 })
        {
            if (candidates.Count == 1) return (candidates[0], null);
            if (candidates.Count > 1) return (null, $"several networks called '{to}' ({string.Join(", ", candidates.Select(n => n.Id))}); map to an id");
        }
        return (null, named.Count > 0
            ? $"the recovery site's networks called '{to}' belong to other projects and are not shared"
            : "the recovery site does not have it");
    }
}
