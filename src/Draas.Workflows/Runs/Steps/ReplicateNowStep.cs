using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Planned migration: one last replication of the group, waited for, so the recovery point holds
/// every write (the primary's servers are stopped first).</summary>
public sealed class ReplicateNowStep : StepHandler<LastSyncInput, ReplicateNowOutput>
{
    public override string Kind => RunPlanner.ReplicateNow;

    public override async Task<ReplicateNowOutput> ExecuteAsync(StepContext c, LastSyncInput input, CancellationToken ct)
    {
        var group = c.Group(input.GroupId);
        var source = c.Array(group.SourceArrayId);
        var plugin = c.Plugin(source).Require<IReplicateNow>("replicate on demand (a planned migration's last sync)", source.Name);
        var point = await plugin.ReplicateNowAsync(c.GroupRef(group), TimeSpan.FromSeconds(c.Options.ReplicateTimeout), ct);
        return new ReplicateNowOutput(new ChosenPoint(point.Id, point.Time));
    }
}
