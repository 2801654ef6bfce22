using System.Text.Json;
using Draas.Data;
using Draas.Domain.Arrays;
using Draas.Domain.Audit;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Storage;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Protection;

/// <summary>
/// Makes the arrays replicate exactly the volumes a plan's latest manifest holds: one replication group
/// per source array, targeting that array's peer. A volume on a backend no registered array serves, or
/// on an array without a peer, cannot be protected: the plan is marked error and the reason recorded.
/// </summary>
public sealed class StorageReconciler(DraasDbContext db, StoragePluginCatalog plugins, ArrayReferences references, TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> ReconcileAsync(Plan plan, ManifestContent content, CancellationToken ct)
    {
        var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
        var problems = new List<string>();
        var bySource = new Dictionary<StorageArray, List<VolumeEntry>>();
        StorageArray? PeerOf(StorageArray a) => StorageArray.PeerOf(a, arrays);
        foreach (var volume in content.Volumes)
        {
            var array = arrays.FirstOrDefault(a => a.CinderBackend == volume.Host);
            if (array is null) problems.Add($"volume {volume.Id} is on backend {volume.Host ?? "(none)"}, which no registered array serves");
            else if (PeerOf(array) is null) problems.Add($"volume {volume.Id} is on array {array.Name}, which has no replication peer");
            else (bySource.TryGetValue(array, out var list) ? list : bySource[array] = []).Add(volume);
        }

        var changes = new List<string>();
        var ensured = new List<(StorageArray Source, StorageArray Target, ProtectionResult Result)>();
        foreach (var (source, volumes) in bySource)
        {
            var target = PeerOf(source)!;
            var plugin = plugins.Get(source.Plugin);
            var spec = new ProtectionSpec(
                plan.ProjectId,
                plan.Id.ToString("N"),
                references.For(source),
                references.For(target),
                ArrayReferences.ModeOf(plan.ReplicationMode),
                TimeSpan.FromSeconds(plan.ReplicationIntervalSeconds),
                RetentionPolicy.Points(plan.RetentionCount, TimeSpan.FromSeconds(plan.ReplicationIntervalSeconds)),
                [.. volumes.Select(v => plugin.ArrayVolumeName(v.ToCinderRef())).Order(StringComparer.Ordinal)]);
            var result = await plugin.EnsureProtectedAsync(spec, ct);
            changes.AddRange(result.Changes.Select(c => $"{source.Name}: {c}"));
            ensured.Add((source, target, result));
        }

        // The arrays are done; the rows are written under the plan's lock, re-read (the RPO monitor writes them too).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var tracked = await PlanLock.LockAsync(db, plan.Id, ct);
        if (tracked is null)
        {
            // Deleted meanwhile: what this cycle ensured on the arrays would replicate for nobody.
            foreach (var (source, _, result) in ensured) await plugins.Get(source.Plugin).RemoveProtectionAsync(result.Group, ct);
            return problems;
        }
        var groups = await db.ReplicationGroups.Where(g => g.PlanId == plan.Id).ToListAsync(ct);
        foreach (var (source, target, result) in ensured)
        {
            var group = groups.FirstOrDefault(g => g.SourceArrayId == source.Id);
            if (group is null)
            {
                group = new ReplicationGroup { Id = Guid.NewGuid(), PlanId = plan.Id, SourceArrayId = source.Id, TargetArrayId = target.Id, Name = result.Group.Name };
                db.ReplicationGroups.Add(group);
            }
            group.Name = result.Group.Name;
            group.TargetArrayId = target.Id;
            group.Mode = plan.ReplicationMode;
            group.Members = [.. result.Members];
            group.UpdatedAt = clock.GetUtcNow();
        }

        tracked.Status = problems.Count > 0 ? PlanStatus.Error : tracked.Status is PlanStatus.Pending or PlanStatus.Error ? PlanStatus.Protected : tracked.Status;
        if (changes.Count > 0 || problems.Count > 0)
        {
            db.AuditEvents.Add(AuditEvent.OfPlan(plan, clock.GetUtcNow(), problems.Count > 0 ? "protection.problem" : "protection.changed", problems.Count == 0, new { changes, problems }));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return problems;
    }
}
