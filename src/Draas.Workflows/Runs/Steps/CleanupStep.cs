using System.Text.Json;
using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// A drill's last step, run however the drill went: deletes the servers it booted, unmanages the volumes
/// it imported and releases their copies on the recovery array, deletes the flavors, keypairs and project
/// it made. Its proof covers what the drill made and nothing else, so it holds on a busy shared site
/// (other tenants and other drills at work beside it): a second look finds nothing left that carries the
/// drill's mark or name (project, servers, volumes, array copies, flavors, keypairs), and the tenant's own
/// project at the recovery site lost nothing since preflight. Anything left over or touched fails the step
/// and is listed.
/// </summary>
public sealed class CleanupStep : StepHandler<CleanupInput, CleanupOutput>
{
    public override string Kind => RunPlanner.Cleanup;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.Preflight, RunPlanner.PromoteVolume, RunPlanner.EnsureKeypair];

    public override async Task<CleanupOutput> ExecuteAsync(StepContext c, CleanupInput input, CancellationToken ct)
    {
        var admin = c.TargetAdmin;
        var removed = new Dictionary<string, List<string>> { ["servers"] = [], ["volumes"] = [], ["array_copies"] = [], ["flavors"] = [], ["keypairs"] = [], ["projects"] = [] };
        var project = c.Run.TargetProjectId ?? (await admin.Identity.ListProjectsAsync(new ProjectListOptions { Name = c.DrillPrefix }, ct).FirstOrDefaultAsync(ct))?.Id;
        var imported = new Dictionary<string, string>();
        if (project is not null)
        {
            var session = c.TargetProject;
            await RecoveryUndo.RemoveServersAsync(c, session, removed["servers"], ct);
            var volumes = session.BlockStorage.Volumes;
            foreach (var volume in await volumes.ListAsync(null, ct).Where(v => RunNames.IsMine(v.Metadata, c.RunMark)).ToListAsync(ct))
            {
                // Unmanage leaves the array volume to the plugin, which destroys only drill copies.
                if (volume.Status == "available") await volumes.UnmanageAsync(volume.Id, ct);
                else await volumes.DeleteAsync(volume.Id, false, ct);
                await volumes.WaitForDeletedAsync(volume.Id, null, ct);
                imported[volume.Metadata[RunNames.SourceKey]] = volume.Id;
                removed["volumes"].Add($"{volume.Id} {volume.Name}");
            }
            await NetworkRemoval.RemoveAsync(c, project, removed, ct);
        }
        foreach (var step in c.Outputs<PromoteVolumeOutput>(RunPlanner.PromoteVolume))
        {
            var copy = step.Output.ArrayVolume;
            var array = c.Locate(c.Volume(step.Target!)).Target ?? throw new StepFailedException($"volume {step.Target} has no recovery array any more");
            if (await c.Plugin(array).ReleaseDrillCopyAsync(c.Ref(array), copy, imported.GetValueOrDefault(step.Target!), ct))
                removed["array_copies"].Add($"{array.Name}:{copy}");
        }
        // The holds of the drill's recovery point for volumes it never promoted (a promote releases its own).
        removed["recovery_point_holds"] = [];
        foreach (var volume in c.Manifest.Volumes)
        {
            var (group, _, array, arrayVolume) = c.Locate(volume);
            if (group is null || array is null || arrayVolume is null || c.Plugin(array) is not IHoldRecoveryPoint holds) continue;
            if (await holds.ReleaseHoldAsync(c.GroupRef(group), RunNames.ArrayRunId(c.Run.Id), arrayVolume, ct))
                removed["recovery_point_holds"].Add($"{array.Name}: {volume.Name ?? volume.Id}");
        }
        foreach (var flavor in await admin.Compute.Flavors.ListAsync(true, ct).Where(f => f.Name.StartsWith(c.DrillPrefix, StringComparison.Ordinal)).ToListAsync(ct))
        {
            await admin.Compute.Flavors.DeleteAsync(flavor.Id, ct);
            removed["flavors"].Add($"{flavor.Id} {flavor.Name}");
        }
        foreach (var keypair in await admin.Compute.Keypairs.ListAsync(null, ct).Where(k => k.Name.StartsWith(c.DrillPrefix, StringComparison.Ordinal)).ToListAsync(ct))
        {
            await admin.Compute.Keypairs.DeleteAsync(keypair.Name, null, ct);
            removed["keypairs"].Add(keypair.Name);
        }
        if (project is not null && !await RecoveryUndo.GoneAsync(() => admin.Identity.DeleteProjectAsync(project, ct)))
            removed["projects"].Add($"{project} {c.DrillPrefix}");

        var left = await LeftAsync(c, imported, ct);
        var before = c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.InventoryBefore;
        var after = before is null ? null : await Inventory.TakeAsync(admin, before.Project, ct);
        var differences = new List<string>(left);
        if (before is not null) differences.AddRange(before.Compare(after!));
        var proof = new CleanupOutput(
            $"what drill {c.Run.Id} made: project {c.DrillPrefix}, servers and volumes marked {RunNames.RunKey}={c.RunMark}, its array copies, flavors and keypairs named {c.DrillPrefix}-*; untouched: the tenant's project {before?.Project ?? "(unknown: preflight did not finish)"}",
            removed, before, after, differences, differences.Count == 0);
        if (differences.Count > 0)
            throw new StepFailedException($"the drill did not leave the recovery site as it found it: {string.Join("; ", differences)}", proof);
        return proof;
    }

    /// <summary>A second look, site-wide, for anything that still carries the drill's mark or name, each as
    /// "+ what: id name" (left over). A drill copy the array still has is released now and listed.</summary>
    private static async Task<List<string>> LeftAsync(StepContext c, Dictionary<string, string> imported, CancellationToken ct)
    {
        var admin = c.TargetAdmin;
        var left = new List<string>();
        left.AddRange(await admin.Identity.ListProjectsAsync(new ProjectListOptions { Name = c.DrillPrefix }, ct).Select(p => $"+ projects: {p.Id} {p.Name}").ToListAsync(ct));
        left.AddRange(await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, ct)
            .Where(s => RunNames.IsMine(s.Metadata, c.RunMark)).Select(s => $"+ servers: {s.Id} {s.Name}").ToListAsync(ct));
        left.AddRange(await admin.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, ct)
            .Where(v => RunNames.IsMine(v.Metadata, c.RunMark)).Select(v => $"+ volumes: {v.Id} {v.Name}").ToListAsync(ct));
        left.AddRange(await admin.Compute.Flavors.ListAsync(true, ct).Where(f => f.Name.StartsWith(c.DrillPrefix, StringComparison.Ordinal))
            .Select(f => $"+ flavors: {f.Id} {f.Name}").ToListAsync(ct));
        left.AddRange(await admin.Compute.Keypairs.ListAsync(null, ct).Where(k => k.Name.StartsWith(c.DrillPrefix, StringComparison.Ordinal))
            .Select(k => $"+ keypairs: {k.Name}").ToListAsync(ct));
        foreach (var step in c.Outputs<PromoteVolumeOutput>(RunPlanner.PromoteVolume))
        {
            var copy = step.Output.ArrayVolume;
            var array = c.Locate(c.Volume(step.Target!)).Target;
            if (array is not null && await c.Plugin(array).ReleaseDrillCopyAsync(c.Ref(array), copy, imported.GetValueOrDefault(step.Target!), ct))
                left.Add($"+ array copies: {array.Name}:{copy} (still there after cleanup; released now)");
        }
        return left;
    }
}
