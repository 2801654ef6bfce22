using Draas.OpenStack;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Planned migration: shuts a primary server down so nothing writes after the last sync.</summary>
public sealed class StopServerStep : IStepHandler
{
    public string Kind => RunPlanner.StopServer;

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var servers = c.SourceAdmin.Compute.Servers;
        var id = c.Required("server_id");
        try
        {
            var server = await servers.GetAsync(id, ct);
            if (server.Status == "SHUTOFF") return new { server_id = id, was = server.Status };
            await servers.StopAsync(id, ct);
            await servers.WaitForStatusAsync(id, "SHUTOFF", null, ct);
            return new { server_id = id, was = server.Status };
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
            return new { server_id = id, was = "gone" };
        }
    }
}
