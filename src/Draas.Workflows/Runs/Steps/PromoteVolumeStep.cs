using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes one volume usable on the recovery array from the run's recovery point: a drill gets an
/// independent copy that leaves replication alone, a real recovery the volume to run on. The plugin
/// names the result after the run, so a second attempt finds the first one's copy.</summary>
public sealed class PromoteVolumeStep : StepHandler<PromoteVolumeInput, PromoteVolumeOutput>
{
    public override string Kind => RunPlanner.PromoteVolume;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.ReplicateNow, RunPlanner.DemoteSource, RunPlanner.Preflight];

    public override async Task<PromoteVolumeOutput> ExecuteAsync(StepContext c, PromoteVolumeInput input, CancellationToken ct)
    {
        var group = c.Group(input.GroupId ?? throw new StepFailedException($"volume {input.VolumeId} is in no replication group"));
        var plugin = c.Plugin(c.Array(group.TargetArrayId));
        // A planned migration recovers from the point it just replicated; others from the point preflight chose.
        var chosen = c.Output<ReplicateNowOutput>(RunPlanner.ReplicateNow, group.Name)?.RecoveryPoint
            ?? c.Output<DemoteSourceOutput>(RunPlanner.DemoteSource, group.Name)?.RecoveryPoint
            ?? c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.RecoveryPoints.GetValueOrDefault(group.Id.ToString());
        var point = chosen?.Id;
        var volume = input.ArrayVolume ?? throw new StepFailedException($"volume {input.VolumeId} has no array volume");
        var runId = RunNames.ArrayRunId(c.Run.Id);
        var promoted = await plugin.PromoteVolumeAsync(new PromoteRequest(c.GroupRef(group), volume, runId,
            c.IsDrill ? PromotePurpose.Drill : PromotePurpose.Failover, point), ct);
        // The volume has its own copy now: the run's hold of its point (if retention pruned the point meanwhile,
        // the copy was made from the hold) is no longer needed.
        if (plugin is IHoldRecoveryPoint holds) await holds.ReleaseHoldAsync(c.GroupRef(group), runId, volume, ct);
        // The point's own time, as it was chosen (a copy made from a hold knows only when the hold was taken).
        var time = point is not null && promoted.RecoveryPoint.Id == point && chosen is not null ? chosen.Time : promoted.RecoveryPoint.Time;
        // How the recovery site's Cinder finds this copy: the plugin's answer, not an assumption.
        return new PromoteVolumeOutput(promoted.ArrayVolumeName, plugin.ManageExistingRef(promoted.ArrayVolumeName), promoted.SizeGiB,
            new ChosenPoint(promoted.RecoveryPoint.Id, time), promoted.CreatedNow);
    }
}
