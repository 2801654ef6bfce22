using Draas.OpenStack;
using Draas.OpenStack.Compute.Servers;
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
        var nova = c.SourceAdmin.Compute.Servers;
        // One list of the plan's project at the primary: what each server is doing, and a call that must reach the
        // site now (the session's cached token proves nothing about it).
        var project = new ServerListOptions { AllTenants = true, ProjectId = c.SourceProjectId };
        Task<Dictionary<string, Server>> ListAsync() => nova.ListAsync(project, ct).ToDictionaryAsync(s => s.Id, cancellationToken: ct).AsTask();
        Dictionary<string, Server> running;
        try
        {
            running = await ListAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new FencePrimaryOutput(PrimaryAnswered: false, site, Fenced: false,
                $"the primary site {site} did not answer ({StepFailures.Describe(e)}): its servers may still run; stop them before it reconnects", [], []);
        }

        var servers = new Dictionary<string, FencedServer>();
        var stopping = new List<string>();
        foreach (var (id, name) in input.Servers)
        {
            if (!running.TryGetValue(id, out var server)) servers[id] = new FencedServer(id, name, "gone", true, "no longer exists at the primary");
            else if (StopServerStep.IsOff(server.Status)) servers[id] = new FencedServer(id, name, server.Status, true, $"was already off ({server.Status})");
            else
            {
                try
                {
                    await nova.StopAsync(id, ct);
                    stopping.Add(id);
                    servers[id] = new FencedServer(id, name, server.Status, true, "stopped");
                }
                catch (OpenStackException e) when (e.IsNotFound)
                {
                    servers[id] = new FencedServer(id, name, "gone", true, "no longer exists at the primary");
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    servers[id] = new FencedServer(id, name, server.Status, false, $"could not stop it: {StepFailures.Describe(e)}");
                }
            }
        }
        if (stopping.Count > 0)
        {
            // Every stop is under way: one list per look waits for all of them.
            try
            {
                await nova.WaitForStatusesAsync(stopping, "SHUTOFF", project, null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Which did not stop (a server gone meanwhile is off); when the primary stops answering, none is known to be.
                Dictionary<string, Server>? now = null;
                try
                {
                    now = await ListAsync();
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                }
                foreach (var id in stopping.Where(id => now is null || (now.TryGetValue(id, out var s) && !StopServerStep.IsOff(s.Status))))
                    servers[id] = servers[id] with { Off = false, Detail = $"could not stop it: {StepFailures.Describe(e)}" };
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
        var unfenced = servers.Values.Count(x => !x.Off);
        return new FencePrimaryOutput(PrimaryAnswered: true, site, unfenced == 0, unfenced == 0 ? null : $"{unfenced} server(s) at {site} could not be stopped",
            [.. input.Servers.Select(s => servers[s.ServerId])], groups);
    }
}
