using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.Tests.Protection;
using Draas.Tests.Runs;
using Draas.Workflows.Runs;

namespace Draas.Tests.Reliability;

/// <summary>
/// What a recovery run did to the world, counted from the world's side (the arrays' own log of the copies
/// they made, the recovery site's Cinder and Nova), never from the service's account of it: each source
/// volume promoted exactly once and imported exactly once, each server booted exactly once, and no copy
/// left over on either array. Every finding is one line naming what is wrong.
/// </summary>
public static class RecoveryAudit
{
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>The audit of a real recovery (failover or planned migration) from site A to site B.</summary>
    public static async Task<List<string>> RecoveryAsync(TenantInTheLab t, string runId)
    {
        var findings = new List<string>();
        // The plugin names a real recovery's copies draas-fo-<first 12 hex digits of the run id>-...
        var prefix = $"draas-fo-{Guid.Parse(runId).ToString("N")[..12]}";
        var log = await t.Lab.FlashArray.Admin.CopiesAsync("array-b", Ct);
        var copies = log.Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        // From the point's snapshot of the volume, or from the run's hold of it (itself a copy of that snapshot,
        // as the log shows) when retention pruned the point.
        var holds = log.Where(c => c.Name.StartsWith("draas-hold-", StringComparison.Ordinal)).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.Last().Source);
        bool Of(string source, string id) => (holds.TryGetValue(source, out var held) ? held : source).EndsWith($".volume-{id}-cinder", StringComparison.Ordinal);
        foreach (var (name, id) in t.Volumes)
        {
            var made = copies.Count(c => Of(c.Source, id));
            if (made != 1) findings.Add($"volume {name} was promoted {made} times on array-b");
        }
        foreach (var stray in copies.Where(c => !t.Volumes.Values.Any(id => Of(c.Source, id))))
            findings.Add($"array-b made copy {stray.Name} of {stray.Source}, which is no volume of the tenant");

        var imported = await t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct)
            .Where(v => v.Metadata.GetValueOrDefault("draas:run") == runId).ToListAsync(Ct);
        foreach (var (name, id) in t.Volumes)
        {
            var count = imported.Count(v => v.Metadata.GetValueOrDefault("draas:source") == id);
            if (count != 1) findings.Add($"volume {name} was imported {count} times at site-b");
        }
        foreach (var v in imported.Where(v => v.Status is not ("available" or "in-use")))
            findings.Add($"imported volume {v.Id} ({v.Name}) is {v.Status}");

        var servers = await t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct)
            .Where(s => s.Metadata.GetValueOrDefault("draas:run") == runId).ToListAsync(Ct);
        foreach (var (name, id) in t.Servers)
        {
            var booted = servers.Where(s => s.Metadata.GetValueOrDefault("draas:source") == id).ToList();
            if (booted.Count != 1) findings.Add($"server {name} was booted {booted.Count} times at site-b");
            foreach (var s in booted.Where(s => s.Status != "ACTIVE")) findings.Add($"recovered server {name} ({s.Id}) is {s.Status}");
        }
        findings.AddRange(await OrphanCopiesAsync(t));
        return findings;
    }

    /// <summary>The audit of a drill from the world's side: each volume copied exactly once on array-b (a kill
    /// never makes a second copy), each server booted once in the drill's project, and, once it ended,
    /// nothing of it left: no copy on either array, no server or volume marked with the run at site B, no
    /// project, flavor or keypair named for it there.</summary>
    public static async Task<List<string>> DrillAsync(TenantInTheLab t, string runId)
    {
        var findings = new List<string>();
        var prefix = $"draas-drill-{Guid.Parse(runId).ToString("N")[..12]}";
        var copies = (await t.Lab.FlashArray.Admin.CopiesAsync("array-b", Ct)).Where(c => c.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var (name, id) in t.Volumes)
        {
            var made = copies.Count(c => c.Source.EndsWith($".volume-{id}-cinder", StringComparison.Ordinal));
            if (made != 1) findings.Add($"volume {name} was copied {made} times on array-b for the drill");
        }
        await foreach (var v in t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct))
            if (v.Metadata.GetValueOrDefault("draas:run") == runId) findings.Add($"drill volume {v.Id} ({v.Name}) is left at site-b ({v.Status})");
        await foreach (var s in t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct))
            if (s.Metadata.GetValueOrDefault("draas:run") == runId) findings.Add($"drill server {s.Id} ({s.Name}) is left at site-b ({s.Status})");
        // The drill's project, flavors and keypairs are named for it (RunNames.DrillPrefix), so a crash cannot hide them.
        var named = RunNames.DrillPrefix(Guid.Parse(runId));
        await foreach (var p in t.AdminB.Identity.ListProjectsAsync(null, Ct))
            if (p.Name.StartsWith(named, StringComparison.Ordinal)) findings.Add($"drill project {p.Id} ({p.Name}) is left at site-b");
        await foreach (var f in t.AdminB.Compute.Flavors.ListAsync(true, Ct))
            if (f.Name.StartsWith(named, StringComparison.Ordinal)) findings.Add($"drill flavor {f.Id} ({f.Name}) is left at site-b");
        await foreach (var k in t.AdminB.Compute.Keypairs.ListAsync(null, Ct))
            if (k.Name.StartsWith(named, StringComparison.Ordinal)) findings.Add($"drill keypair {k.Name} is left at site-b");
        findings.AddRange(await OrphanCopiesAsync(t));
        return findings;
    }

    /// <summary>Copies a run made that are still under the plugin's name: never imported, or never released.</summary>
    public static async Task<List<string>> OrphanCopiesAsync(TenantInTheLab t)
    {
        var findings = new List<string>();
        foreach (var site in t.Lab.Sites)
        {
            using var array = new ArrayInspector(site.ArrayUrl, site.ApiToken);
            foreach (var v in await array.GetAsync("volumes"))
            {
                var name = v!["name"]!.GetValue<string>();
                if (name.StartsWith("draas-fo-", StringComparison.Ordinal) || name.StartsWith("draas-drill-", StringComparison.Ordinal) || name.StartsWith("draas-hold-", StringComparison.Ordinal))
                    findings.Add($"copy {name} is left on {site.ArrayName}{(v["destroyed"]?.GetValue<bool>() == true ? " (destroyed, not eradicated)" : "")}");
            }
        }
        return findings;
    }

    /// <summary>What a drill must leave as it found it: the recovery site's servers and volumes, and the
    /// live volumes of both arrays.</summary>
    public static async Task<SortedSet<string>> InventoryAsync(TenantInTheLab t)
    {
        var items = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var s in t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct)) items.Add($"site-b server {s.Id} {s.Name}");
        await foreach (var v in t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct)) items.Add($"site-b volume {v.Id} {v.Name}");
        foreach (var site in t.Lab.Sites)
        {
            using var array = new ArrayInspector(site.ArrayUrl, site.ApiToken);
            foreach (var v in await array.GetAsync("volumes"))
                if (v!["destroyed"]?.GetValue<bool>() != true) items.Add($"{site.ArrayName} volume {v["name"]}");
        }
        return items;
    }

    /// <summary>Everything a real recovery could leave at the recovery site, besides <see cref="InventoryAsync"/>: every
    /// project's ports, networks, subnets, routers, floating IPs, security groups (with their rules) and server groups,
    /// and the flavors and the service user's keypairs.</summary>
    public static async Task<SortedSet<string>> FullInventoryAsync(TenantInTheLab t)
    {
        var items = await InventoryAsync(t);
        var admin = t.AdminB;
        var all = new Draas.OpenStack.Networking.NeutronFilter();
        await foreach (var p in admin.Networking.ListPortsAsync(all, Ct)) items.Add($"site-b port {p.Id} {p.Name} {string.Join(",", p.FixedIps.Select(f => f.IpAddress))}");
        await foreach (var n in admin.Networking.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions(), Ct))
        {
            items.Add($"site-b network {n.Id} {n.Name}");
            await foreach (var s in admin.Networking.ListSubnetsAsync(n.Id, null, Ct)) items.Add($"site-b subnet {s.Id} {s.Cidr}");
        }
        await foreach (var r in admin.Networking.ListRoutersAsync(all, Ct)) items.Add($"site-b router {r.Id} {r.Name}");
        await foreach (var f in admin.Networking.ListFloatingIpsAsync(all, Ct)) items.Add($"site-b floating ip {f.Id} {f.FloatingIpAddress}");
        await foreach (var g in admin.Networking.ListSecurityGroupsAsync(all, Ct))
        {
            items.Add($"site-b security group {g.Id} {g.Name}");
            foreach (var rule in g.SecurityGroupRules) items.Add($"site-b security group rule {rule.Id} of {g.Name}");
        }
        await foreach (var g in admin.Compute.ServerGroups.ListAsync(true, Ct)) items.Add($"site-b server group {g.Id} {g.Name}");
        await foreach (var f in admin.Compute.Flavors.ListAsync(true, Ct)) items.Add($"site-b flavor {f.Id} {f.Name}");
        await foreach (var k in admin.Compute.Keypairs.ListAsync(null, Ct)) items.Add($"site-b keypair {k.Name}");
        return items;
    }

    /// <summary>Lines in one inventory and not the other, as "+ added" / "- removed".</summary>
    public static List<string> Difference(SortedSet<string> before, SortedSet<string> after) =>
        [.. after.Except(before).Select(x => $"+ {x}"), .. before.Except(after).Select(x => $"- {x}")];
}
