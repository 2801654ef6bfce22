using Draas.Domain.Manifests;
using Draas.OpenStack;
using Draas.OpenStack.Networking;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Makes the tenant's security groups exist in the target project, then their rules: first every group
/// (the primary's <c>default</c> is the target project's own <c>default</c>), so a rule naming another group
/// as its remote is written with that group's recovered id. A group of the same name is converged (missing
/// rules added, nothing removed), so a retry or a second recovery into the same project does no harm.
/// </summary>
public sealed class EnsureSecurityGroupsStep : StepHandler<EnsureSecurityGroupsInput, EnsureSecurityGroupsOutput>
{
    public override string Kind => NetworkPlanning.EnsureSecurityGroups;

    public override async Task<EnsureSecurityGroupsOutput> ExecuteAsync(StepContext c, EnsureSecurityGroupsInput input, CancellationToken ct)
    {
        var neutron = c.TargetProject.Networking;
        // Neutron makes a project's default group the first time the project lists its groups (an admin listing
        // without a project filter ensures only the admin's own): asked first, so a rollback knows this run made it.
        var hadDefault = await c.TargetAdmin.Networking.ListSecurityGroupsAsync(new NeutronFilter { Name = "default" }, ct)
            .AnyAsync(g => g.ProjectId == c.TargetProjectId, ct);
        // Listing makes Neutron create the project's default group if it has none yet.
        var existing = await neutron.ListSecurityGroupsAsync(new NeutronFilter { ProjectId = c.TargetProjectId }, ct).ToListAsync(ct);
        var map = new Dictionary<string, SecurityGroup>();
        var created = new List<string>();
        foreach (var g in c.Manifest.SecurityGroups)
        {
            var same = existing.FirstOrDefault(x => x.Name == g.Name);
            if (same is null)
            {
                same = await neutron.CreateSecurityGroupAsync(new CreateSecurityGroupOptions { Name = g.Name, Description = g.Description }, ct);
                existing.Add(same);
                created.Add(g.Name);
            }
            map[g.Id] = same;
        }

        var rulesCreated = 0;
        var addedRules = new List<string>();
        var skipped = new List<string>();
        foreach (var g in c.Manifest.SecurityGroups)
        {
            var target = map[g.Id];
            var have = target.SecurityGroupRules.Select(r => Key(r.Direction, r.Ethertype, r.Protocol, r.PortRangeMin, r.PortRangeMax, r.RemoteIpPrefix, r.RemoteGroupId)).ToHashSet();
            foreach (var rule in g.Rules)
            {
                string? remote = null;
                if (rule.RemoteGroupId is not null)
                {
                    if (!map.TryGetValue(rule.RemoteGroupId, out var r))
                    {
                        skipped.Add($"{g.Name}: {Describe(rule)} names group {rule.RemoteGroupId}, which is not the tenant's");
                        continue;
                    }
                    remote = r.Id;
                }
                if (have.Contains(Key(rule.Direction, rule.Ethertype, rule.Protocol, rule.PortRangeMin, rule.PortRangeMax, rule.RemoteIpPrefix, remote))) continue;
                try
                {
                    var made = await neutron.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions
                    {
                        SecurityGroupId = target.Id,
                        Direction = rule.Direction,
                        Ethertype = rule.Ethertype,
                        Protocol = rule.Protocol,
                        PortRangeMin = rule.PortRangeMin,
                        PortRangeMax = rule.PortRangeMax,
                        RemoteIpPrefix = rule.RemoteIpPrefix,
                        RemoteGroupId = remote,
                        Description = rule.Description,
                    }, ct);
                    rulesCreated++;
                    // A rule added to a group that was there already is what a rollback takes out of it.
                    if (!created.Contains(g.Name)) addedRules.Add(made.Id);
                }
                catch (OpenStackException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict && e.ServiceMessage?.Contains("already exists") == true)
                {
                    // Written by an earlier attempt whose answer was lost.
                }
            }
        }
        return new EnsureSecurityGroupsOutput(map.ToDictionary(p => p.Key, p => new RecoveredGroup(p.Value.Id, p.Value.Name)), created, rulesCreated, addedRules,
            hadDefault ? null : existing.FirstOrDefault(x => x.Name == "default")?.Id, skipped);
    }

    private static string Key(string direction, string? ethertype, string? protocol, int? min, int? max, string? prefix, string? remote) =>
        $"{direction}|{ethertype ?? "IPv4"}|{protocol?.ToLowerInvariant()}|{min}|{max}|{(prefix is "0.0.0.0/0" or "::/0" ? null : prefix)}|{remote}";

    private static string Describe(RuleEntry r) => $"{r.Direction} {r.Protocol ?? "any"} {r.PortRangeMin}-{r.PortRangeMax}";
}
