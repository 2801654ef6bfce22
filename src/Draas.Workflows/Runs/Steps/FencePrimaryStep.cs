using System.Text.Json.Nodes;
using Draas.Storage;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Failover: no split brain. When the primary site still answers, its servers of the plan are stopped
/// before any recovered server boots, and where the storage plugin can (pods), the replication source is
/// demoted, so the two sites never write at once. A primary that does not answer is not waited for: the
/// failover goes on and the step says it could not fence, so an operator stops the primary when it
/// returns. The step never fails the run; its output (in the report) lists what was fenced and why the
/// rest was not. Opt out per run with <c>fence_primary: false</c>.
/// </summary>
public sealed class FencePrimaryStep : StepHandler<FencePrimaryInput, FencePrimaryOutput>
{
    public override string Kind => RunPlanner.FencePrimary;

    public override async Task<FencePrimaryOutput> ExecuteAsync(StepContext c, FencePrimaryInput input, CancellationToken ct)
    {
        var site = c.SourceSite.Name;
        try
        {
            // A call that must reach the site: the session's cached token proves nothing about it now.
            await c.SourceAdmin.Compute.Admin.ListAvailabilityZonesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new FencePrimaryOutput(PrimaryAnswered: false, site, Fenced: false,
                $"the primary site {site} did not answer ({StepFailures.Describe(e)}): its servers may still run; stop them before it reconnects", [], []);
        }

        var servers = new List<FencedServer>();
        var nova = c.SourceAdmin.Compute.Servers;
        foreach (var (id, name) in input.Servers)
        {
            try
            {
                var was = await StopServerStep.StopAsync(nova, id, ct);
                servers.Add(new FencedServer(id, name, was, true,
                    was == "gone" ? "no longer exists at the primary" : StopServerStep.IsOff(was) ? $"was already off ({was})" : "stopped"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                servers.Add(new FencedServer(id, name, null, false, $"could not stop it: {StepFailures.Describe(e)}"));
            }
        }

        var groups = new List<FencedGroup>();
        foreach (var group in c.Groups)
        {
            if (group.Mode == Draas.Domain.Protection.ReplicationMode.Async)
            {
                groups.Add(new FencedGroup(group.Name, false, "an async protection group has no source to demote; its servers are stopped"));
                continue;
            }
            if (c.Plugin(c.Array(group.SourceArrayId)) is not IDemoteSource demoter)
            {
                groups.Add(new FencedGroup(group.Name, false, "the array's storage plugin cannot demote a replication source; its servers are stopped"));
                continue;
            }
            try
            {
                var result = await demoter.DemoteSourceAsync(c.GroupRef(group), quiesce: false, ct);
                groups.Add(new FencedGroup(group.Name, true, string.Join("; ", result.Changes.DefaultIfEmpty("already demoted"))));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                groups.Add(new FencedGroup(group.Name, false, $"could not demote: {StepFailures.Describe(e)}"));
            }
        }
        var unfenced = servers.Count(x => !x.Off);
        return new FencePrimaryOutput(PrimaryAnswered: true, site, unfenced == 0, unfenced == 0 ? null : $"{unfenced} server(s) at {site} could not be stopped", servers, groups);
    }
}
