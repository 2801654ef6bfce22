using System.Text.Json;
using Draas.OpenStack;
using Draas.OpenStack.Identity;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// A drill's last step, run however the drill went: deletes the servers it booted, unmanages the volumes
/// it imported and releases their copies on the recovery array, deletes the flavors, keypairs and project
/// it made, then compares the recovery site with the inventory preflight took. Anything left over fails
/// the step and is listed.
/// </summary>
public sealed class CleanupStep : IStepHandler
{
    public string Kind => RunPlanner.Cleanup;

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var admin = c.TargetAdmin;
        var removed = new Dictionary<string, List<string>> { ["servers"] = [], ["volumes"] = [], ["array_copies"] = [], ["flavors"] = [], ["keypairs"] = [], ["projects"] = [] };
        var project = c.Run.TargetProjectId ?? (await admin.Identity.ListProjectsAsync(new ProjectListOptions { Name = c.DrillPrefix }, ct).FirstOrDefaultAsync(ct))?.Id;
        var imported = new Dictionary<string, string>();
        if (project is not null)
        {
            var session = c.TargetProject;
            foreach (var server in await session.Compute.Servers.ListAsync(null, ct).Where(s => RunNames.IsMine(s.Metadata, c.RunMark)).ToListAsync(ct))
            {
                await session.Compute.Servers.DeleteAsync(server.Id, ct);
                await session.Compute.Servers.WaitForDeletedAsync(server.Id, null, ct);
                removed["servers"].Add($"{server.Id} {server.Name}");
            }
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
            await DrillNetworkCleanup.RemoveAsync(c, project, removed, ct);
        }
        foreach (var step in c.Outputs(RunPlanner.PromoteVolume))
        {
            var copy = step.Output["array_volume"]!.GetValue<string>();
            var array = c.Locate(c.Volume(step.Target!)).Target ?? throw new StepFailedException($"volume {step.Target} has no recovery array any more");
            if (await c.Plugin(array).ReleaseDrillCopyAsync(c.Ref(array), copy, imported.GetValueOrDefault(step.Target!), ct))
                removed["array_copies"].Add($"{array.Name}:{copy}");
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
        if (project is not null)
        {
            try
            {
                await admin.Identity.DeleteProjectAsync(project, ct);
                removed["projects"].Add($"{project} {c.DrillPrefix}");
            }
            catch (OpenStackException e) when (e.IsNotFound)
            {
            }
        }

        var before = c.Output(RunPlanner.Preflight, null)?["inventory_before"]?.Deserialize<Inventory>(RunJson.Options);
        var after = await Inventory.TakeAsync(admin, ct);
        var differences = before is null ? ["no inventory was taken before the drill (preflight did not finish)"] : before.Compare(after);
        var proof = new { removed, inventory_before = before, inventory_after = after, differences, clean = before is not null && differences.Count == 0 };
        if (before is not null && differences.Count > 0)
            throw new StepFailedException($"the recovery site differs from before the drill: {string.Join("; ", differences)}", proof);
        return proof;
    }
}
