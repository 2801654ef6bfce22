using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Storage;
using Draas.Workflows.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Protection;

/// <summary>Why a plan could not be removed, with the HTTP status the API answers (409, 502).</summary>
public sealed class PlanRemovalRefusedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Deleting a plan stops what it made the arrays do: each of its replication groups (a protection group or
/// a pod) is removed through its plugin (the volumes stay), unless the caller keeps replication on
/// purpose. A plan with a run that has not ended is not deleted: the run still needs it. The recovery-point
/// holds its failed runs kept for a resume are released whatever the caller keeps (see <see cref="StaleHolds"/>).
/// </summary>
public sealed class PlanRemoval(DraasDbContext db, StoragePluginCatalog plugins, ArrayReferences references)
{
    /// <returns>The groups removed from the arrays (empty when kept or when the plan had none).</returns>
    public async Task<IReadOnlyList<string>> RemoveAsync(Guid planId, bool keepReplication, CancellationToken ct)
    {
        // Under the plan's lock: a capture's reconcile waits, then finds the plan gone (and undoes its own work).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var plan = await PlanLock.LockAsync(db, planId, ct) ?? throw new PlanRemovalRefusedException(404, $"Plan {planId} could not be found.");
        var unfinished = await db.Runs.AsNoTracking()
            .Where(r => r.PlanId == planId).Where(RunStates.NotEnded)
            .Select(r => new { r.Id, r.Kind, r.State }).FirstOrDefaultAsync(ct);
        if (unfinished is not null)
            throw new PlanRemovalRefusedException(409, $"Plan {plan.Name} has a {Word(unfinished.Kind)} run that has not ended ({unfinished.Id}, {Word(unfinished.State)}); wait for it or cancel it, then delete the plan.");
        var removed = new List<string>();
        if (!keepReplication)
        {
            var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
            foreach (var group in await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == planId).OrderBy(g => g.Name).ToListAsync(ct))
            {
                var source = arrays.Single(a => a.Id == group.SourceArrayId);
                var target = arrays.Single(a => a.Id == group.TargetArrayId);
                var reference = new ReplicationGroupRef(group.Name, ArrayReferences.ModeOf(group.Mode), references.For(source), references.For(target));
                try
                {
                    if (await plugins.Get(source.Plugin).RemoveProtectionAsync(reference, ct)) removed.Add($"{group.Name} on {source.Name}");
                }
                catch (ArrayException e)
                {
                    throw new PlanRemovalRefusedException(502, $"Plan {plan.Name} was not deleted: array {source.Name} did not remove replication group {group.Name} ({e.Message}). " +
                        "Try again when the array answers, or delete with keep_replication=true to leave the group replicating.");
                }
            }
        }
        // Holds its failed runs kept for a resume: no run of a deleted plan is resumed.
        var arraysById = await db.Arrays.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        var groups = await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == planId).ToDictionaryAsync(g => g.Id, ct);
        try
        {
            await StaleHolds.ReleaseAsync(db, planId, null, groupId =>
            {
                if (!groups.TryGetValue(groupId, out var group)) return null;
                var (source, target) = (arraysById[group.SourceArrayId], arraysById[group.TargetArrayId]);
                return plugins.Get(target.Plugin) is IHoldRecoveryPoint holds
                    ? (holds, new ReplicationGroupRef(group.Name, ArrayReferences.ModeOf(group.Mode), references.For(source), references.For(target)))
                    : null;
            }, ct);
        }
        catch (ArrayException e)
        {
            throw new PlanRemovalRefusedException(502, $"Plan {plan.Name} was not deleted: a recovery array did not release a recovery-point hold of its runs ({e.Message}). Try again when the array answers.");
        }
        db.Plans.Remove(plan);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return removed;
    }

    private static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
