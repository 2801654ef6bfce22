using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes one volume usable on the recovery array from the run's recovery point: a drill gets an
/// independent copy that leaves replication alone, a real recovery the volume to run on. The plugin
/// names the result after the run, so a second attempt finds the first one's copy.</summary>
public sealed class PromoteVolumeStep : IStepHandler
{
    public string Kind => RunPlanner.PromoteVolume;

    public IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.ReplicateNow, RunPlanner.DemoteSource, RunPlanner.Preflight];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var group = c.Group(Guid.Parse(c.Required("group_id")));
        var plugin = c.Plugin(c.Array(group.TargetArrayId));
        // A planned migration recovers from the point it just replicated; others from the point preflight chose.
        var chosen = (c.Output(RunPlanner.ReplicateNow, group.Name) ?? c.Output(RunPlanner.DemoteSource, group.Name))?["recovery_point"]
            ?? c.Output(RunPlanner.Preflight, null)?["recovery_points"]?[group.Id.ToString()];
        var point = chosen?["id"]?.GetValue<string>();
        var volume = c.Required("array_volume");
        var runId = RunNames.ArrayRunId(c.Run.Id);
        var promoted = await plugin.PromoteVolumeAsync(new PromoteRequest(c.GroupRef(group), volume, runId,
            c.IsDrill ? PromotePurpose.Drill : PromotePurpose.Failover, point), ct);
        // The volume has its own copy now: the run's hold of its point (if retention pruned the point meanwhile,
        // the copy was made from the hold) is no longer needed.
        if (plugin is IHoldRecoveryPoint holds) await holds.ReleaseHoldAsync(c.GroupRef(group), runId, volume, ct);
        // The point's own time, as it was chosen (a copy made from a hold knows only when the hold was taken).
        var time = point is not null && promoted.RecoveryPoint.Id == point && chosen?["time"] is { } t ? t.GetValue<DateTimeOffset>() : promoted.RecoveryPoint.Time;
        return new
        {
            array_volume = promoted.ArrayVolumeName,
            // How the recovery site's Cinder finds this copy: the plugin's answer, not an assumption.
            manage_ref = plugin.ManageExistingRef(promoted.ArrayVolumeName),
            size_gib = promoted.SizeGiB,
            recovery_point = new { id = promoted.RecoveryPoint.Id, time },
            created_now = promoted.CreatedNow,
        };
    }
}
