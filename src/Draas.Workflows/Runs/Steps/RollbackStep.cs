using Draas.Domain.Protection;
using Draas.OpenStack;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Takes back a failover or planned migration that a person (or its commit_timeout) rolled back. At the
/// recovery site, only what this run made goes, since the tenant's recovery project is shared with what was
/// there before: the servers it booted, the Neutron objects carrying its mark (floating IPs, ports, routers,
/// subnets, networks), the security groups, rules and server groups it created, the flavors and keypairs it
/// created, the volumes it imported (unmanaged) and the array copies its promotes made. Then the primary is
/// given back: an ActiveDR pod's source takes writes again and its target is a replica again, and the
/// primary's servers that fencing or the migration stopped start again. Replication is otherwise left as it
/// was (a protection group's snapshots were only copied from). A second look finds nothing left carrying the
/// run's mark; anything left, or anything that could not be given back, fails the step (a resume retries it).
/// A primary that does not answer fails the step before anything is removed.
/// </summary>
public sealed class RollbackStep : StepHandler<RollbackInput, RollbackOutput>
{
    public override string Kind => CommitDecisions.RollbackStep;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.PromoteVolume, RunPlanner.StopServer, RunPlanner.FencePrimary, RunPlanner.EnsureFlavor, RunPlanner.EnsureKeypair, NetworkPlanning.EnsureSecurityGroups, NetworkPlanning.EnsureServerGroup];

    public override async Task<RollbackOutput> ExecuteAsync(StepContext c, RollbackInput input, CancellationToken ct)
    {
        try
        {
            // A call that must reach the primary now: without it, removing the recovered servers would leave the tenant running nowhere.
            await c.SourceAdmin.Compute.Admin.ListAvailabilityZonesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new StepFailedException($"the primary site {c.SourceSite.Name} does not answer ({StepFailures.Describe(e)}): rolling back now would leave the tenant running nowhere, "
                + "so nothing was removed; resume the run once the primary answers");
        }
        var problems = new List<string>();
        var removed = new Dictionary<string, List<string>> { ["servers"] = [], ["security_group_rules"] = [], ["flavors"] = [], ["keypairs"] = [] };
        var project = c.TargetProjectId;
        if (project is not null)
        {
            var session = c.TargetProject;
            // Servers first: their ports and volumes are in use until they are gone.
            await RecoveryUndo.RemoveServersAsync(c, session, removed["servers"], ct);
            var securityGroups = c.Output<EnsureSecurityGroupsOutput>(Runs.NetworkPlanning.EnsureSecurityGroups, null);
            var createdGroups = securityGroups?.Created.ToHashSet() ?? [];
            var groupIds = securityGroups?.Groups.Values.Where(g => g.Name is not null && createdGroups.Contains(g.Name)).Select(g => g.Id).ToHashSet() ?? [];
            // The project's default group goes too when Neutron made it for this run (its rules with it).
            if (securityGroups?.MadeDefaultGroup is { } madeDefault) groupIds.Add(madeDefault);
            var only = new NetworkRemoval.Only(c.RunMark, groupIds,
                c.Outputs<EnsureServerGroupOutput>(Runs.NetworkPlanning.EnsureServerGroup).Where(o => o.Output.Created).Select(o => o.Output.ServerGroupId).ToHashSet());
            await NetworkRemoval.RemoveAsync(c, project, removed, ct, only);
            foreach (var rule in securityGroups?.RulesAddedToExisting ?? [])
            {
                if (await RecoveryUndo.GoneAsync(() => session.Networking.DeleteSecurityGroupRuleAsync(rule, ct))) continue;
                removed["security_group_rules"].Add(rule);
            }
        }
        var storage = await RecoveryUndo.RemoveImportsAsync(c, problems, ct);
        foreach (var (key, list) in storage) removed[key] = list;

        var admin = c.TargetAdmin;
        foreach (var (_, flavor) in c.Outputs<EnsureFlavorOutput>(RunPlanner.EnsureFlavor).Where(o => o.Output.Created))
        {
            if (await RecoveryUndo.GoneAsync(() => admin.Compute.Flavors.DeleteAsync(flavor.FlavorId, ct))) continue;
            removed["flavors"].Add($"{flavor.FlavorId} {flavor.Name}");
        }
        foreach (var (_, keypair) in c.Outputs<EnsureKeypairOutput>(RunPlanner.EnsureKeypair))
        {
            var name = keypair.Name;
            if (keypair.Created && project is not null && !await RecoveryUndo.GoneAsync(() => c.TargetProject.Compute.Keypairs.DeleteAsync(name, null, ct)))
                removed["keypairs"].Add(name);
            if (keypair.TenantCreated && keypair.TenantUserId is { } user
                && !await RecoveryUndo.GoneAsync(() => admin.Compute.Keypairs.DeleteAsync(name, user, ct)))
                removed["keypairs"].Add($"{name} of {user}");
        }

        // The primary: storage first (a server started on a demoted pod could not write), then its servers.
        var groups = await RecoveryUndo.UndoDemotesAsync(c, c.Groups.Where(g => g.Mode == ReplicationMode.Continuous), problems, ct);
        var restarted = await RecoveryUndo.StartServersAsync(c, Stopped(c), problems, ct);

        var left = project is null ? [] : await LeftAsync(c, ct);
        var output = new RollbackOutput(removed, new PrimaryGivenBack(c.SourceSite.Name, restarted, groups), left, problems, left.Count == 0 && problems.Count == 0,
            $"rolled back: {removed["servers"].Count} server(s), {removed["volumes"].Count} imported volume(s) and {removed["array_copies"].Count} array copy(ies) removed at {c.TargetSite.Name}; "
                + $"{restarted.Count} primary server(s) running again at {c.SourceSite.Name}");
        if (left.Count > 0 || problems.Count > 0)
            throw new StepFailedException($"the rollback is not complete: {string.Join("; ", left.Concat(problems))}", output);
        return output;
    }

    /// <summary>The primary's servers the run stopped: by fencing (a failover) or before the last sync (a migration).</summary>
    private static List<(string Id, string? Name)> Stopped(StepContext c)
    {
        var fenced = c.Outputs<FencePrimaryOutput>(RunPlanner.FencePrimary).SelectMany(o => o.Output.Servers)
            .Where(s => s.Off && s.Was is { } was && was != "gone" && !StopServerStep.IsOff(was))
            .Select(s => (Id: s.ServerId, s.Name));
        return [.. fenced.Concat(RecoveryUndo.StoppedByMigration(c)).DistinctBy(s => s.Id)];
    }

    /// <summary>A second look in the recovery project for anything still carrying the run's mark, as "+ what: id name".</summary>
    private static async Task<List<string>> LeftAsync(StepContext c, CancellationToken ct)
    {
        var session = c.TargetProject;
        var neutron = session.Networking;
        var project = new Draas.OpenStack.Networking.NeutronFilter { ProjectId = c.TargetProjectId };
        var left = new List<string>();
        left.AddRange(await session.Compute.Servers.ListAsync(null, ct).Where(s => RunNames.IsMine(s.Metadata, c.RunMark)).Select(s => $"+ servers: {s.Id} {s.Name}").ToListAsync(ct));
        left.AddRange(await session.BlockStorage.Volumes.ListAsync(null, ct).Where(v => RunNames.IsMine(v.Metadata, c.RunMark)).Select(v => $"+ volumes: {v.Id} {v.Name}").ToListAsync(ct));
        left.AddRange(await neutron.ListPortsAsync(project, ct).Where(p => RunNames.IsMarked(p.Description, c.RunMark)).Select(p => $"+ ports: {p.Id} {p.Name}").ToListAsync(ct));
        left.AddRange(await neutron.ListFloatingIpsAsync(project, ct).Where(f => RunNames.IsMarked(f.Description, c.RunMark)).Select(f => $"+ floating_ips: {f.Id} {f.FloatingIpAddress}").ToListAsync(ct));
        left.AddRange(await neutron.ListNetworksAsync(new Draas.OpenStack.Networking.NetworkListOptions { ProjectId = c.TargetProjectId }, ct)
            .Where(n => RunNames.IsMarked(n.Description, c.RunMark)).Select(n => $"+ networks: {n.Id} {n.Name}").ToListAsync(ct));
        return left;
    }
}
