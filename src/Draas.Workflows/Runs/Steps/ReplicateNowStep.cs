using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Planned migration: one last replication of the group, waited for, so the recovery point holds
/// every write (the primary's servers are stopped first).</summary>
public sealed class ReplicateNowStep : IStepHandler
{
    public string Kind => RunPlanner.ReplicateNow;

    public IReadOnlyList<string> ReadsOutputsOf => [];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var group = c.Group(Guid.Parse(c.Required("group_id")));
        var source = c.Array(group.SourceArrayId);
        var plugin = c.Plugin(source).Require<IReplicateNow>("replicate on demand (a planned migration's last sync)", source.Name);
        var point = await plugin.ReplicateNowAsync(c.GroupRef(group), TimeSpan.FromSeconds(c.Options.ReplicateTimeout), ct);
        return new { recovery_point = new { id = point.Id, time = point.Time } };
    }
}
