using Draas.OpenStack.Compute.ServerGroups;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the servers' server group exist in the target project with the same policy (and rules), so
/// anti-affinity still spreads the recovered servers over hosts. One of the same name and policy is reused.</summary>
public sealed class EnsureServerGroupStep : StepHandler<EnsureServerGroupInput, EnsureServerGroupOutput>
{
    public override string Kind => NetworkPlanning.EnsureServerGroup;

    public override async Task<EnsureServerGroupOutput> ExecuteAsync(StepContext c, EnsureServerGroupInput input, CancellationToken ct)
    {
        var sourceId = input.GroupId;
        var source = c.Manifest.ServerGroups.FirstOrDefault(g => g.Id == sourceId) ?? throw new StepFailedException($"server group {sourceId} is not in the manifest");
        var policy = source.Policy ?? throw new StepFailedException($"server group {source.Name} has no policy in the manifest");
        var nova = c.TargetProject.Compute;
        var group = await nova.ServerGroups.ListAsync(false, ct).FirstOrDefaultAsync(g => g.Name == source.Name && g.Policy == policy, ct);
        // What the run created, a rollback removes; a group that was there already stays.
        var created = group is null;
        group ??= await nova.ServerGroups.CreateAsync(new CreateServerGroupOptions
        {
            Name = source.Name,
            Policy = policy,
            Rules = source.Rules.Count == 0 ? null : source.Rules.Where(r => int.TryParse(r.Value, out _)).ToDictionary(r => r.Key, r => int.Parse(r.Value)),
        }, ct);
        return new EnsureServerGroupOutput(group.Id, group.Name, group.Policy, created);
    }
}
