using Draas.Data;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// A recovery site's own limits, shared by every run recovering into it: at most the site's
/// <c>max_concurrent_imports</c> volume imports and <c>max_concurrent_boots</c> server boots, and each
/// array's <c>max_concurrent_copies</c> volume copies, running at once across runs, plans, tenants and
/// worker processes. When a whole site fails over, a hundred runs must not hand Cinder a thousand manages
/// at once; each run's <c>max_parallel</c> cannot see the others. The count is taken in the database under
/// a transaction-scoped advisory lock per limit, so two pumps in two processes never both take the last
/// slot. Failovers come first: a drill takes a slot only when no failover, migration, failback or rollback
/// step waits ready for that limit.
/// </summary>
public static class SiteCapacity
{
    /// <summary>The step kinds a site or array limits.</summary>
    public static readonly IReadOnlySet<string> LimitedKinds = new HashSet<string> { RunPlanner.ImportVolume, RunPlanner.BootServer, RunPlanner.PromoteVolume };

    /// <summary>A run that has not ended, as stored.</summary>
    private static readonly string[] Unended = ["pending", "running", "awaiting_approval", "cancelling", "awaiting_commit", "rolling_back"];

    /// <summary>One limit: the site's imports or boots (keyed by the site), or an array's copies (keyed by the array).</summary>
    private sealed record Pool(string Kind, Guid ScopeId, bool OnArray, int Limit)
    {
        public string Key => $"capacity:{Kind}:{ScopeId}";
    }

    /// <summary>The ready steps (in the order given) that may start now: at most <paramref name="room"/>, the
    /// limited kinds only while their limit has free slots. Call inside the pump's transaction; the limits'
    /// locks are held until it commits, when the admitted steps are running.</summary>
    public static async Task<List<Step>> AdmitAsync(DraasDbContext db, Run run, IReadOnlyList<Step> ready, int room, CancellationToken ct)
    {
        var pools = await PoolsAsync(db, run, ready, ct);
        if (pools.Count == 0) return [.. ready.Take(room)];
        var distinct = pools.Values.DistinctBy(p => p.Key).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        // Always in the same order, so two pumps wanting two limits never wait for each other in a circle.
        foreach (var pool in distinct)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({pool.Key}, 0))", ct);
        var free = new Dictionary<string, int>();
        foreach (var pool in distinct)
        {
            // A drill leaves room for ready failover steps (a disaster does not wait behind a rehearsal).
            free[pool.Key] = pool.Limit - await CountAsync(db, pool, waiting: false, ct)
                - (run.Kind == RunKind.Drill ? await CountAsync(db, pool, waiting: true, ct) : 0);
        }
        var admitted = new List<Step>();
        foreach (var step in ready)
        {
            if (admitted.Count == room) break;
            if (pools.TryGetValue(step.Id, out var pool))
            {
                if (free[pool.Key] <= 0) continue;
                free[pool.Key]--;
            }
            admitted.Add(step);
        }
        return admitted;
    }

    /// <summary>A limited step of <paramref name="run"/> ended and freed a slot: the other runs with a step
    /// waiting for that limit (failovers first, then the oldest), for the caller to pump so the slot is used at
    /// once rather than at the watchdog's next sweep. More than one, since the first may not be able to use it
    /// (its step waits for a retry time or a dependency).</summary>
    public static async Task<List<(Guid Id, string Queue)>> WaitingRunsAsync(DraasDbContext db, Run run, Step step, CancellationToken ct)
    {
        if (!LimitedKinds.Contains(step.Kind)) return [];
        if ((await PoolsAsync(db, run, [step], ct)).Values.SingleOrDefault() is not { } pool) return [];
        var waiting = await db.Database.SqlQuery<WaitingRun>($"""
            SELECT DISTINCT r.id, r.queue, r.kind = 'drill' AS drill, r.created_at FROM steps s JOIN runs r ON r.id = s.run_id
            LEFT JOIN replication_groups g ON {pool.OnArray} AND g.id::text = s.input ->> 'group_id'
            WHERE s.kind = {pool.Kind} AND s.state = 'pending' AND r.id <> {run.Id} AND r.state IN ('running', 'awaiting_approval', 'rolling_back')
              AND CASE WHEN {pool.OnArray} THEN g.target_array_id = {pool.ScopeId} ELSE r.target_site_id = {pool.ScopeId} END
            ORDER BY drill, r.created_at
            LIMIT {WaitingAtMost}
            """).ToListAsync(ct);
        return [.. waiting.Select(w => (w.Id, w.Queue))];
    }

    private const int WaitingAtMost = 4;

    /// <summary>The limit each limited step falls under: imports and boots the run's recovery site's, copies
    /// the array the volume's replication group copies to.</summary>
    private static async Task<Dictionary<Guid, Pool>> PoolsAsync(DraasDbContext db, Run run, IReadOnlyList<Step> steps, CancellationToken ct)
    {
        var pools = new Dictionary<Guid, Pool>();
        var limited = steps.Where(s => LimitedKinds.Contains(s.Kind)).ToList();
        if (limited.Count == 0) return pools;
        var siteSteps = limited.Where(s => s.Kind != RunPlanner.PromoteVolume).ToList();
        if (siteSteps.Count > 0 && run.TargetSiteId is { } siteId
            && await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => new { s.MaxConcurrentImports, s.MaxConcurrentBoots }).SingleOrDefaultAsync(ct) is { } site)
        {
            foreach (var step in siteSteps)
                pools[step.Id] = new Pool(step.Kind, siteId, false, step.Kind == RunPlanner.ImportVolume ? site.MaxConcurrentImports : site.MaxConcurrentBoots);
        }
        var copies = limited.Where(s => s.Kind == RunPlanner.PromoteVolume)
            .Select(s => (Step: s, Group: Guid.TryParse(RunJson.Object(s.Input)["group_id"]?.GetValue<string>(), out var g) ? g : (Guid?)null))
            .Where(x => x.Group is not null).ToList();
        if (copies.Count > 0)
        {
            var groupIds = copies.Select(c => c.Group!.Value).Distinct().ToList();
            var targets = await (from g in db.ReplicationGroups.AsNoTracking()
                                 join a in db.Arrays.AsNoTracking() on g.TargetArrayId equals a.Id
                                 where groupIds.Contains(g.Id)
                                 select new { g.Id, ArrayId = a.Id, a.MaxConcurrentCopies }).ToListAsync(ct);
            foreach (var (step, group) in copies)
            {
                if (targets.SingleOrDefault(t => t.Id == group) is { } target)
                    pools[step.Id] = new Pool(step.Kind, target.ArrayId, true, target.MaxConcurrentCopies);
            }
        }
        return pools;
    }

    /// <summary>Steps of the limit running now, or (<paramref name="waiting"/>) ready and waiting in runs that are not drills.</summary>
    private static async Task<int> CountAsync(DraasDbContext db, Pool pool, bool waiting, CancellationToken ct) =>
        (await db.Database.SqlQuery<Tally>($"""
            SELECT count(*)::int AS count FROM steps s JOIN runs r ON r.id = s.run_id
            LEFT JOIN replication_groups g ON {pool.OnArray} AND g.id::text = s.input ->> 'group_id'
            WHERE s.kind = {pool.Kind} AND r.state = ANY ({Unended})
              AND CASE WHEN {pool.OnArray} THEN g.target_array_id = {pool.ScopeId} ELSE r.target_site_id = {pool.ScopeId} END
              AND CASE WHEN {waiting}
                THEN r.kind <> 'drill' AND r.state IN ('running', 'awaiting_approval', 'rolling_back') AND s.state = 'pending'
                  AND (s.not_before IS NULL OR s.not_before <= now())
                  AND NOT EXISTS (SELECT 1 FROM steps d WHERE d.run_id = s.run_id AND d.sequence = ANY (s.depends_on) AND d.state <> 'succeeded')
                ELSE s.state = 'running' END
            """).ToListAsync(ct)).Single().Count;

    private sealed record Tally(int Count);

    private sealed record WaitingRun(Guid Id, string Queue, bool Drill, DateTimeOffset CreatedAt);
}
