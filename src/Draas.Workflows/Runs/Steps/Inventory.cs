using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// What a drill must not touch at a shared recovery site, and only that: the servers and volumes of the
/// tenant's own project there, and the service user's keypairs that are no drill's. Other tenants' projects
/// are theirs to change while the drill runs, and so are other drills' own things, so neither is in it.
/// Each item is "id name". Taken by preflight before the drill makes anything; a retried preflight takes
/// the same inventory, since nothing a drill makes is ever in it.
/// </summary>
public sealed record Inventory(string? Project, IReadOnlyList<string> Servers, IReadOnlyList<string> Volumes, IReadOnlyList<string> Keypairs)
{
    /// <summary>The tenant's own project at the site a run recovers to (not a drill's).</summary>
    public static string? TenantProjectAt(StepContext c) => c.TenantTargetProjectId;

    public static async Task<Inventory> TakeAsync(KeystoneSession admin, string? tenantProject, CancellationToken ct)
    {
        static List<string> Sorted(IEnumerable<string> items) => [.. items.Order(StringComparer.Ordinal)];
        static bool Drill(IReadOnlyDictionary<string, string> metadata) => metadata.ContainsKey(RunNames.RunKey);
        var servers = tenantProject is null ? [] : await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true, ProjectId = tenantProject }, ct)
            .Where(s => s.TenantId == tenantProject && !Drill(s.Metadata)).Select(s => $"{s.Id} {s.Name}").ToListAsync(ct);
        var volumes = tenantProject is null ? [] : await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true, ProjectId = tenantProject }, ct)
            .Where(v => v.TenantId == tenantProject && !Drill(v.Metadata)).Select(v => $"{v.Id} {v.Name}").ToListAsync(ct);
        var keypairs = await admin.Compute.Keypairs.ListAsync(null, ct).Select(k => k.Name)
            .Where(k => !k.StartsWith(RunNames.DrillProjectPrefix, StringComparison.Ordinal)).ToListAsync(ct);
        return new Inventory(tenantProject, Sorted(servers), Sorted(volumes), Sorted(keypairs));
    }

    /// <summary>What went away since: "- servers: id name". Additions are not the drill's doing (it works in
    /// a project of its own, and what it made carries its mark, which the inventory leaves out).</summary>
    public IReadOnlyList<string> Compare(Inventory after)
    {
        var differences = new List<string>();
        void Gone(string what, IReadOnlyList<string> before, IReadOnlyList<string> now) =>
            differences.AddRange(before.Except(now).Select(x => $"- {what}: {x}"));
        Gone("servers", Servers, after.Servers);
        Gone("volumes", Volumes, after.Volumes);
        Gone("keypairs", Keypairs, after.Keypairs);
        return differences;
    }
}
