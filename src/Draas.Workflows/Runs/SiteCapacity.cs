using Draas.Data;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// A recovery site's own limits, shared by every run recovering into it: at most
/// <see cref="Site.MaxConcurrentImports"/> volume imports and <see cref="Site.MaxConcurrentBoots"/> server
/// boots running at once, across runs, plans, tenants and worker processes. When a whole site fails over,
/// a hundred runs must not hand Cinder a thousand manages at once; each run's <c>max_parallel</c> cannot
/// see the others. The count is taken in the database under a transaction-scoped advisory lock per site, so
/// two pumps in two processes never both take the last slot. Failovers come first: a drill takes a slot
/// only when no failover, migration or failback step of that kind is ready and waiting at the site.
/// </summary>
public static class SiteCapacity
{
    /// <summary>The step kinds a site limits, with the site's limit for each.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Site, int>> Limited = new Dictionary<string, Func<Site, int>>
    {
        [RunPlanner.ImportVolume] = s => s.MaxConcurrentImports,
        [RunPlanner.BootServer] = s => s.MaxConcurrentBoots,
    };

    /// <summary>The ready steps (in the order given) that may start now: at most <paramref name="room"/>,
    /// with the limited kinds admitted only while the run's target site has free slots. Call inside the
    /// pump's transaction; the site's lock is held until it commits, when the admitted steps are running.</summary>
    public static async Task<List<Step>> AdmitAsync(DraasDbContext db, Run run, IReadOnlyList<Step> ready, int room, CancellationToken ct)
    {
        if (run.TargetSiteId is not { } siteId || !ready.Any(s => Limited.ContainsKey(s.Kind)))
            return [.. ready.Take(room)];
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"site-capacity:" + siteId}, 0))", ct);
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null) return [.. ready.Take(room)];
        var kinds = Limited.Keys.ToArray();
        var running = await db.Database.SqlQuery<KindCount>($"""
            SELECT s.kind, count(*)::int AS count FROM steps s JOIN runs r ON r.id = s.run_id
            WHERE r.target_site_id = {siteId} AND s.state = 'running' AND s.kind = ANY ({kinds})
            GROUP BY s.kind
            """).ToListAsync(ct);
        // A drill leaves room for the site's ready failover steps (a disaster does not wait behind a rehearsal).
        var waiting = run.Kind != RunKind.Drill ? [] : await db.Database.SqlQuery<KindCount>($"""
            SELECT s.kind, count(*)::int AS count FROM steps s JOIN runs r ON r.id = s.run_id
            WHERE r.target_site_id = {siteId} AND r.kind <> 'drill' AND r.state IN ('running', 'awaiting_approval', 'rolling_back')
              AND s.state = 'pending' AND s.kind = ANY ({kinds}) AND (s.not_before IS NULL OR s.not_before <= now())
              AND NOT EXISTS (SELECT 1 FROM steps d WHERE d.run_id = s.run_id AND d.sequence = ANY (s.depends_on) AND d.state <> 'succeeded')
            GROUP BY s.kind
            """).ToListAsync(ct);
        var free = Limited.ToDictionary(l => l.Key, l => l.Value(site)
            - running.Where(c => c.Kind == l.Key).Sum(c => c.Count)
            - waiting.Where(c => c.Kind == l.Key).Sum(c => c.Count));
        var admitted = new List<Step>();
        foreach (var step in ready)
        {
            if (admitted.Count == room) break;
            if (free.TryGetValue(step.Kind, out var slots))
            {
                if (slots <= 0) continue;
                free[step.Kind] = slots - 1;
            }
            admitted.Add(step);
        }
        return admitted;
    }

    /// <summary>A limited step of <paramref name="runId"/> ended and freed a slot: pump the runs at the same
    /// site that have that kind of step waiting (failovers first, then the oldest), so the slot is used at
    /// once rather than at the watchdog's next sweep.</summary>
    public static async Task KickWaitingAsync(DraasDbContext db, IBackgroundJobClient jobs, Guid runId, string kind, CancellationToken ct)
    {
        if (!Limited.ContainsKey(kind)) return;
        var waiting = await db.Database.SqlQuery<WaitingRun>($"""
            SELECT r.id, r.queue FROM runs r
            WHERE r.target_site_id = (SELECT target_site_id FROM runs WHERE id = {runId}) AND r.id <> {runId}
              AND r.state IN ('running', 'awaiting_approval', 'rolling_back')
              AND EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id AND s.kind = {kind} AND s.state = 'pending')
            ORDER BY r.kind = 'drill', r.created_at
            LIMIT {KickAtMost}
            """).ToListAsync(ct);
        foreach (var run in waiting) RunEngine.Kick(jobs, run.Id, run.Queue);
    }

    /// <summary>Runs pumped when one slot frees: more than one, since the first may not be able to use it
    /// (its step waits for a retry time); the watchdog's sweep catches anything left.</summary>
    private const int KickAtMost = 4;

    private sealed record KindCount(string Kind, int Count);

    private sealed record WaitingRun(Guid Id, string Queue);
}
