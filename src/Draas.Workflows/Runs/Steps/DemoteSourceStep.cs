using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Planned migration (and failback) of a continuous (ActiveDR) plan: the source pod is demoted with quiesce
/// once the primary's servers are stopped, so every acknowledged write crosses the replica link before the
/// source stops taking writes; the recovery point is the quiesced one. What replicate_now is to a protection
/// group. Asked again, a pod already demoted stays as it is.
/// </summary>
public sealed class DemoteSourceStep : StepHandler<LastSyncInput, DemoteSourceOutput>
{
    public override string Kind => RunPlanner.DemoteSource;

    public override async Task<DemoteSourceOutput> ExecuteAsync(StepContext c, LastSyncInput input, CancellationToken ct)
    {
        var group = c.Group(input.GroupId);
        var source = c.Array(group.SourceArrayId);
        var plugin = c.Plugin(source);
        var reference = c.GroupRef(group);
        var demoted = await plugin.Require<IDemoteSource>("demote a replication source (a continuous plan's planned migration)", source.Name)
            .DemoteSourceAsync(reference, quiesce: true, ct);
        var status = await plugin.GetReplicationStatusAsync(reference, ct);
        var point = status.Latest ?? throw new StepFailedException($"group {group.Name} has no recovery point after demoting its source: {status.Detail}");
        return new DemoteSourceOutput(new ChosenPoint(point.Id, point.Time), demoted.Quiesced, demoted.UndoName, demoted.Changes);
    }
}
