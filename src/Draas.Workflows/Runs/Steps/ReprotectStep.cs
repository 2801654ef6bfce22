using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Storage;
using Draas.Workflows.Protection;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// After a failover or planned migration: reverses replication so the recovered volumes are protected back
/// to the site the workload left, and turns the plan (only this plan) round: its groups now replicate from
/// the array it runs on, it names the recovered servers and volumes, and the next capture reads the site it runs on.
/// </summary>
public sealed class ReprotectStep(DraasDbContext db, IBackgroundJobClient jobs) : StepHandler<ReprotectInput, ReprotectOutput>
{
    public override string Kind => RunPlanner.Reprotect;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.ImportVolume];

    public override async Task<ReprotectOutput> ExecuteAsync(StepContext c, ReprotectInput input, CancellationToken ct)
    {
        var (volumes, servers, fromRun) = await RecoveredAsync(c, ct);
        var stale = await FenceAsync(c, servers, volumes, ct);
        // Held across the arrays' reversal: a capture's reconcile or the RPO monitor in between would write
        // the groups as they were.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await PlanLock.LockAsync(db, c.Plan.Id, ct) ?? throw new StepFailedException("the plan was deleted");
        if (plan.StateRunId == c.Run.Id)
            return new ReprotectOutput(Already: true, State: RunPlanner.Word(PlanPlacement.Of(c.Protection, plan).State)); // an earlier attempt turned it round
        var changes = new List<string>();
        foreach (var row in await db.ReplicationGroups.Where(g => g.PlanId == c.Plan.Id).ToListAsync(ct))
        {
            var target = c.Array(row.TargetArrayId);
            var plugin = c.Plugin(target);
            var members = c.Manifest.Volumes
                .Where(v => c.Locate(v).Group?.Id == row.Id && volumes.ContainsKey(v.Id))
                .Select(v => plugin.ArrayVolumeName(new CinderVolumeRef(volumes[v.Id]))).Order(StringComparer.Ordinal).ToList();
            var result = await plugin.Require<IReverseReplication>("reverse replication (reprotect, failback)", target.Name).ReverseAsync(c.GroupRef(c.Group(row.Id)), members, TimeSpan.FromSeconds(c.Plan.ReplicationIntervalSeconds), ct);
            changes.AddRange(result.Changes);
            (row.SourceArrayId, row.TargetArrayId) = (row.TargetArrayId, row.SourceArrayId);
            row.Name = result.Group.Name;
            row.Members = [.. result.Members];
            row.Health = null;
            row.LagSeconds = null;
            row.LatestRecoveryPointAt = null;
            row.UpdatedAt = c.Clock.GetUtcNow();
        }
        foreach (var resource in await db.PlanResources.Where(r => r.PlanId == c.Plan.Id).ToListAsync(ct))
        {
            var map = resource.Kind == ResourceKind.Server ? servers : resource.Kind == ResourceKind.Volume ? volumes : null;
            if (map is not null && map.TryGetValue(resource.ResourceId, out var recovered)) resource.ResourceId = recovered;
        }
        plan.HealthChecks = RepointChecks(plan.HealthChecks, servers);
        plan.Status = PlanStatus.Pending;
        plan.UpdatedAt = c.Clock.GetUtcNow();
        // Only this plan turns round: it runs where the run brought it up and replicates back to where it was.
        PlanPlacement.Move(plan, c.TargetSite.Id, c.TargetProjectId ?? throw new StepFailedException("the run has no target project"), failedOver: false, c.Run.Id);
        var placement = PlanPlacement.Of(c.Protection, plan);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The next capture reads the site the workload now runs on and keeps the reversed groups exact.
        jobs.Enqueue<ProtectPlanJob>("default", j => j.RunAsync(c.Plan.Id, CancellationToken.None));
        return new ReprotectOutput(FromRun: fromRun, Reversed: placement.Reversed, RunsAt: c.TargetSite.Name, Volumes: volumes, Servers: servers, Changes: changes, Stale: stale);
    }

    /// <summary>
    /// The plan's original servers at the site the workload left are stale copies once it runs elsewhere:
    /// one the old site booted again (after a disaster it comes back as it went down) would be a second
    /// writer of the application, so it is stopped before replication turns round. Nothing is deleted:
    /// the report lists them for the operator, with the stale volumes.
    /// </summary>
    private static async Task<object> FenceAsync(StepContext c, Dictionary<string, string> servers, Dictionary<string, string> volumes, CancellationToken ct)
    {
        var fenced = new List<object>();
        foreach (var (oldId, _) in servers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var was = await StopServerStep.StopAsync(c.SourceAdmin.Compute.Servers, oldId, ct);
            if (was == "gone") continue;
            var name = c.Manifest.Servers.FirstOrDefault(s => s.Id == oldId)?.Name;
            fenced.Add(new { server_id = oldId, name, was, stopped = !StopServerStep.IsOff(was) });
        }
        var left = new List<object>();
        foreach (var oldId in volumes.Keys.Order(StringComparer.Ordinal))
        {
            try
            {
                var volume = await c.SourceAdmin.BlockStorage.Volumes.GetAsync(oldId, ct);
                left.Add(new { volume_id = oldId, name = volume.Name, status = volume.Status });
            }
            catch (OpenStack.OpenStackException e) when (e.IsNotFound)
            {
                // already removed by the operator
            }
        }
        return new { site = c.SourceSite.Name, servers = fenced, volumes = left };
    }

    /// <summary>Checks that name their server by id follow it to its recovered id (names need nothing).</summary>
    private static string? RepointChecks(string? checks, Dictionary<string, string> servers)
    {
        if (checks is null) return null;
        var list = JsonNode.Parse(checks)!.AsArray();
        foreach (var check in list.OfType<JsonObject>())
        {
            foreach (var key in Domain.Protection.HealthCheck.ServerFields)
            {
                if (check[key]?.GetValueKind() == System.Text.Json.JsonValueKind.String && servers.TryGetValue(check[key]!.GetValue<string>(), out var recovered))
                    check[key] = recovered;
            }
        }
        return list.ToJsonString();
    }

    /// <summary>Old id → recovered id, from this run's own recovery (failback) or the last one that recovered the plan.</summary>
    private async Task<(Dictionary<string, string> Volumes, Dictionary<string, string> Servers, Guid Run)> RecoveredAsync(StepContext c, CancellationToken ct)
    {
        var runId = c.Outputs<ImportVolumeOutput>(RunPlanner.ImportVolume).Any() ? c.Run.Id : await db.Runs.AsNoTracking()
            .Where(r => r.PlanId == c.Plan.Id && r.State == RunState.Succeeded && (r.Kind == RunKind.Failover || r.Kind == RunKind.PlannedMigration))
            .OrderByDescending(r => r.FinishedAt).Select(r => r.Id).FirstOrDefaultAsync(ct);
        if (runId == Guid.Empty) throw new StepFailedException("no succeeded failover or planned migration of this plan to reprotect");
        var steps = await db.Steps.AsNoTracking().Where(s => s.RunId == runId && s.State == StepState.Succeeded
            && (s.Kind == RunPlanner.ImportVolume || s.Kind == RunPlanner.BootServer)).ToListAsync(ct);
        Dictionary<string, string> Map<T>(string kind, Func<T, string> id) => steps.Where(s => s.Kind == kind)
            .ToDictionary(s => s.Target!, s => id(RunJson.ReadOutput<T>(s.Output)));
        return (Map<ImportVolumeOutput>(RunPlanner.ImportVolume, o => o.VolumeId), Map<BootServerOutput>(RunPlanner.BootServer, o => o.ServerId), runId);
    }
}
