namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova's scheduler over a site's few compute hosts: the least busy host, or what the server
/// group's policy demands (affinity: the members' host; anti-affinity: a host with no member). An empty
/// host means "No valid host was found": the server goes to ERROR when its build would finish.</summary>
internal static class Placement
{
    public const int Hosts = 3;

    public static string Choose(SimSite site, string? groupId)
    {
        var hosts = Enumerable.Range(1, Hosts).Select(i => $"{site.Name}-compute-{i}").ToList();
        var load = site.Compute.Servers.Values.Where(s => s.Status != "ERROR").GroupBy(s => s.Host).ToDictionary(g => g.Key, g => g.Count());
        var members = groupId is not null && site.Compute.ServerGroups.GetValueOrDefault(groupId) is { } group
            ? group.Members.Select(site.Compute.Servers.GetValueOrDefault).OfType<Server>().Where(s => s.Status != "ERROR").ToList()
            : [];
        var policy = groupId is null ? null : site.Compute.ServerGroups.GetValueOrDefault(groupId)?.Policy;
        var candidates = policy switch
        {
            "affinity" when members.Count > 0 => [members[0].Host],
            "anti-affinity" => hosts.Where(h => members.All(m => m.Host != h)).ToList(),
            _ => hosts,
        };
        return candidates.OrderBy(h => load.GetValueOrDefault(h)).ThenBy(h => h, StringComparer.Ordinal).FirstOrDefault() ?? "";
    }
}
