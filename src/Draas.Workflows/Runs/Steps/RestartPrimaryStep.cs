using Draas.Data;
using Draas.Domain.Runs;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The last step of a planned migration (or failback) that stopped the primary or demoted its replication
/// source: when the run was cancelled, each ActiveDR pod it demoted takes writes again (and its replica is a
/// replica again), then the primary's servers it stopped are started again, so a cancel gives the tenant its
/// service back where it was. Not when a recovered server already booted at the other site (two copies
/// would write), and not when the run goes on or failed (a failed one is resumed; its primary stays
/// stopped). A cancel that gives the primary back also removes what the run made at the recovery site: the
/// volumes it imported (unmanaged) and the recovery array's copies its promotes made. The output says which servers and groups were given back and why not; the report shows it.
/// </summary>
public sealed class RestartPrimaryStep(DraasDbContext db) : StepHandler<RestartPrimaryInput, RestartPrimaryOutput>
{
    public override string Kind => RunPlanner.RestartPrimary;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.BootServer, RunPlanner.StopServer, RunPlanner.PromoteVolume];

    public override async Task<RestartPrimaryOutput> ExecuteAsync(StepContext c, RestartPrimaryInput input, CancellationToken ct)
    {
        var state = await db.Runs.AsNoTracking().Where(r => r.Id == c.Run.Id).Select(r => r.State).SingleAsync(ct);
        var stopped = RecoveryUndo.StoppedByMigration(c);
        if (state != RunState.Cancelling)
            return new RestartPrimaryOutput([], [], Reason: state == RunState.Running ? "the migration went on: the primary stays stopped" : "the run was not cancelled: the primary stays stopped for a resume");
        if (c.Outputs<BootServerOutput>(RunPlanner.BootServer).Any())
            return new RestartPrimaryOutput([], [], Reason: $"recovered servers already run at {c.TargetSite.Name}: the primary stays stopped so two copies never write");
        var problems = new List<string>();
        // What the cancelled run made at the recovery site serves nobody once the primary runs again, and would
        // only be found by an operator later (a resume is refused then).
        var recoverySite = await RecoveryUndo.RemoveImportsAsync(c, problems, ct);
        // The storage next: a server started on a demoted pod could not write.
        var demoted = await db.Steps.AsNoTracking().Where(s => s.RunId == c.Run.Id && s.Kind == RunPlanner.DemoteSource && s.Attempts > 0).Select(s => s.Input).ToListAsync(ct);
        var groups = await RecoveryUndo.UndoDemotesAsync(c, demoted.Select(i => c.Group(RunJson.ReadInput<LastSyncInput>(i).GroupId)), problems, ct);
        var restarted = await RecoveryUndo.StartServersAsync(c, stopped, problems, ct);
        if (problems.Count > 0) throw new StepFailedException($"could not give the primary back: {string.Join("; ", problems)}", new RestartPrimaryOutput(restarted, groups, recoverySite, Problems: problems));
        var given = new List<string>();
        if (groups.Count > 0) given.Add($"{groups.Count} replication source(s) writable again");
        if (restarted.Count > 0) given.Add($"{restarted.Count} primary server(s) started again at {c.SourceSite.Name}");
        if (recoverySite.Values.Any(l => l.Count > 0))
            given.Add($"{recoverySite["volumes"].Count} imported volume(s) and {recoverySite["array_copies"].Count} array copy(ies) removed at {c.TargetSite.Name}");
        return new RestartPrimaryOutput(restarted, groups, recoverySite, given.Count == 0 ? "the run stopped no server and demoted nothing" : $"the migration was cancelled: {string.Join(", ", given)}");
    }
}
