using Draas.Data;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Runs;

/// <summary>
/// Satisfies the waits of parked steps (<see cref="StepWait"/>) without holding a worker per step: once per
/// interval it lists, per site and kind, the resources still in their working status for every project at
/// once (Cinder volumes <c>managing</c>, Nova servers <c>BUILD</c>, admin lists with <c>all_tenants</c>: short
/// lists however many tenants the site holds), wakes the steps whose resource left it or ran past its deadline
/// (their next job resumes them with one GET that tells ready from failed), and renews the leases of the rest. One process polls at a time
/// (a transaction-scoped advisory lock); if every process dies, the parked steps' leases lapse and the
/// watchdog re-queues them, and their idempotent handlers find what they made and park again: no wait is lost.
/// </summary>
public sealed class WaitPoller(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WaitPoller> logger) : BackgroundService
{
    /// <summary>How often parked steps are looked at (on the service's clock, the simulators' in tests).</summary>
    public static TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan MinimumRealInterval = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Whichever comes first: an interval of the service's clock (the simulators' runs faster in tests,
            // as the old in-worker waits did) or of real time (a stopped test clock must not stop timers).
            // Never faster than every 50 ms of real time: each look is a transaction and a list per site.
            var floor = Task.Delay(MinimumRealInterval, stoppingToken);
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                await Task.WhenAny(Task.Delay(Interval, clock, tick.Token), Task.Delay(Interval, TimeProvider.System, tick.Token));
                await tick.CancelAsync();
            }
            await floor;
            stoppingToken.ThrowIfCancellationRequested();
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Wait poll failed: {Error}", e.Message);
            }
        }
    }

    private sealed record Parked(Guid Id, int Attempts, string Kind, string WaitingFor, string Queue);

    public async Task<int> PollAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DraasDbContext>();
        var sessions = scope.ServiceProvider.GetRequiredService<SiteSessionPool>();
        var leases = scope.ServiceProvider.GetRequiredService<StepLeases>();
        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        var woken = new List<(StepTicket Ticket, string Queue)>();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended('draas.wait_poller', 0)) AS \"Value\"").SingleAsync(ct))
                return 0;
            await leases.RenewParkedAsync(db, ct);
            var parked = await db.Database.SqlQuery<Parked>($"""
                SELECT s.id, s.attempts, s.kind, s.waiting_for, r.queue FROM steps s JOIN runs r ON r.id = s.run_id
                WHERE s.state = 'running' AND s.waiting_for IS NOT NULL AND NOT COALESCE((s.waiting_for::jsonb ->> 'woken')::boolean, false)
                """).ToListAsync(ct);
            if (parked.Count == 0) return 0;
            var now = clock.GetUtcNow();
            var waits = parked.Select(p => (Row: p, Wait: StepWait.FromJson(p.WaitingFor)!)).ToList();
            var siteIds = waits.Select(w => w.Wait.SiteId).Distinct().ToList();
            var sites = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
            // One list per site and working status for every project's waits (the resources still managing or
            // building: a short list, whatever the site holds); a wait without one lists its project's resources.
            foreach (var group in waits.GroupBy(w => (w.Wait.Kind, w.Wait.SiteId, w.Wait.While, ProjectId: w.Wait.While is null ? w.Wait.ProjectId : null)))
            {
                Dictionary<string, string>? statuses = null;
                if (group.Key.Kind != StepWait.Timer && sites.TryGetValue(group.Key.SiteId, out var site))
                {
                    try
                    {
                        statuses = await ListAsync(sessions, site, group.Key.Kind, group.Key.While, group.Key.ProjectId, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        // A transient outage: the steps stay parked and are looked at again; their deadline still holds.
                        logger.LogWarning("Could not list {Kind}s at site {Site} for parked steps: {Error}", group.Key.Kind, site.Name, e.Message);
                    }
                }
                foreach (var (row, wait) in group)
                {
                    string? seen = null;
                    // A timer runs on real time: a health check waits for a guest's network, not for the clouds' clock.
                    var ready = (wait.Kind == StepWait.Timer ? TimeProvider.System.GetUtcNow() : now) >= wait.Until;
                    if (statuses is not null && wait.Resource is not null)
                    {
                        // Listed by working status: absent means it left it (ready, failed or gone; the step's GET tells).
                        ready |= !statuses.TryGetValue(wait.Resource, out seen)
                            || (wait.While is null && (seen == wait.Status || IsFailed(wait.Kind, seen)));
                    }
                    if (!ready) continue;
                    var json = (wait with { Woken = true, Seen = seen }).ToJson();
                    var changed = await db.Database.ExecuteSqlAsync($"""
                        UPDATE steps SET waiting_for = {json}, lease_until = now() + {leases.Queued}
                        WHERE id = {row.Id} AND state = 'running' AND attempts = {row.Attempts} AND waiting_for = {row.WaitingFor}
                        """, ct);
                    if (changed == 1) woken.Add((new StepTicket(row.Id, row.Attempts, row.Kind), row.Queue));
                }
            }
            await tx.CommitAsync(ct);
        }
        foreach (var byQueue in woken.GroupBy(w => w.Queue))
            StepJob.Enqueue(jobs, new ClaimedSteps(byQueue.Key, [.. byQueue.Select(w => w.Ticket)]));
        return woken.Count;
    }

    /// <summary>Id to status of the site's resources of <paramref name="kind"/>: every project's in status
    /// <paramref name="working"/> (an admin list), or all of one project's.</summary>
    private static async Task<Dictionary<string, string>> ListAsync(SiteSessionPool sessions, Domain.Sites.Site site, string kind, string? working, string? projectId, CancellationToken ct)
    {
        var session = working is null ? sessions.For(site, projectId) : sessions.For(site);
        return kind == StepWait.Volume
            ? (await session.BlockStorage.Volumes.ListAsync(working is null ? null : new VolumeListOptions { AllTenants = true, Status = working }, ct).ToListAsync(ct)).ToDictionary(v => v.Id, v => v.Status)
            : (await session.Compute.Servers.ListAsync(working is null ? null : new ServerListOptions { AllTenants = true, Status = working }, ct).ToListAsync(ct)).ToDictionary(s => s.Id, s => s.Status ?? "");
    }

    private static bool IsFailed(string kind, string? status) =>
        kind == StepWait.Volume ? VolumesApi.IsErrorStatus(status) : status is "ERROR" or "DELETED" or "SOFT_DELETED";
}
