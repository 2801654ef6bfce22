using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;

namespace Draas.Workflows.Runs.Steps;

/// <summary>What exists at a site, as a drill's before/after proof compares it: projects, servers,
/// volumes, flavors and the service user's keypairs, each as "id name".</summary>
public sealed record Inventory(IReadOnlyList<string> Projects, IReadOnlyList<string> Servers, IReadOnlyList<string> Volumes,
    IReadOnlyList<string> Flavors, IReadOnlyList<string> Keypairs)
{
    public static async Task<Inventory> TakeAsync(KeystoneSession admin, CancellationToken ct)
    {
        static List<string> Sorted(IEnumerable<string> items) => [.. items.Order(StringComparer.Ordinal)];
        return new Inventory(
            Sorted(await admin.Identity.ListProjectsAsync(null, ct).Select(p => $"{p.Id} {p.Name}").ToListAsync(ct)),
            Sorted(await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, ct).Select(s => $"{s.Id} {s.Name}").ToListAsync(ct)),
            Sorted(await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, ct).Select(v => $"{v.Id} {v.Name}").ToListAsync(ct)),
            Sorted(await admin.Compute.Flavors.ListAsync(true, ct).Select(f => $"{f.Id} {f.Name}").ToListAsync(ct)),
            Sorted(await admin.Compute.Keypairs.ListAsync(null, ct).Select(k => k.Name).ToListAsync(ct)));
    }

    /// <summary>Every difference, as "+ volumes: id name" (appeared) or "- …" (went away).</summary>
    public IReadOnlyList<string> Compare(Inventory after)
    {
        var differences = new List<string>();
        void Diff(string what, IReadOnlyList<string> before, IReadOnlyList<string> now)
        {
            differences.AddRange(now.Except(before).Select(x => $"+ {what}: {x}"));
            differences.AddRange(before.Except(now).Select(x => $"- {what}: {x}"));
        }
        Diff("projects", Projects, after.Projects);
        Diff("servers", Servers, after.Servers);
        Diff("volumes", Volumes, after.Volumes);
        Diff("flavors", Flavors, after.Flavors);
        Diff("keypairs", Keypairs, after.Keypairs);
        return differences;
    }
}
