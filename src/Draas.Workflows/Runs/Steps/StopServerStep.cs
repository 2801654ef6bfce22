using Draas.OpenStack;
using Draas.OpenStack.Compute.Servers;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Planned migration: shuts a primary server down so nothing writes after the last sync.</summary>
public sealed class StopServerStep : StepHandler<PlannedServer, StopServerOutput>
{
    public override string Kind => RunPlanner.StopServer;

    public override async Task<StopServerOutput> ExecuteAsync(StepContext c, PlannedServer input, CancellationToken ct) =>
        new(input.ServerId, await StopAsync(c.SourceAdmin.Compute.Servers, input.ServerId, ct));

    /// <summary>States in which a server runs nothing (and Nova would refuse a stop).</summary>
    public static bool IsOff(string status) => status is "SHUTOFF" or "ERROR" or "DELETED" or "SOFT_DELETED" or "SHELVED_OFFLOADED";

    /// <summary>Stops the server unless it is already off; returns the status it had ("gone" when deleted).</summary>
    public static async Task<string> StopAsync(ServersApi servers, string id, CancellationToken ct)
    {
        try
        {
            var server = await servers.GetAsync(id, ct);
            if (IsOff(server.Status)) return server.Status;
            await servers.StopAsync(id, ct);
            await servers.WaitForStatusAsync(id, "SHUTOFF", null, ct);
            return server.Status;
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
            return "gone";
        }
    }
}
