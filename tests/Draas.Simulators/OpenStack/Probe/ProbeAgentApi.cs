using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Probe;

/// <summary>
/// A site's probe agent, as a DR service's health checks reach servers from inside the recovery site's
/// network: <c>GET /{site}/probe?type=tcp|http&amp;address=10.0.0.5&amp;port=22&amp;path=/</c> answers 200 when an
/// ACTIVE server there has that fixed address (and its <c>sim:unhealthy</c> metadata is not set), else 503
/// with the reason. The simulated guest answers every port.
/// </summary>
public static class ProbeAgentApi
{
    public static void Map(RouteGroupBuilder root, SimSite site) => root.MapGet("/probe", async (string? address, int? port, CancellationToken ct) =>
    {
        if (site.Delays.Probe > TimeSpan.Zero) await Task.Delay(site.Delays.Probe, ct);
        if (string.IsNullOrEmpty(address) || port is null or < 1 or > 65535)
            return Results.Json(new { error = "address and port (1-65535) are required" }, statusCode: 400);
        var verdict = site.Locked(() =>
        {
            var server = site.Compute.Ordered.FirstOrDefault(s => s.PortIds.Select(site.Networks.Port).Any(p => p?.FixedIps.Any(f => f.IpAddress == address) == true));
            if (server is null) return $"no server has address {address}";
            if (server.Status != "ACTIVE") return $"{server.Name} is {server.Status}";
            if (server.Metadata.ContainsKey("sim:unhealthy"))
            {
                site.Faults.CountInjected();
                return $"{server.Name} does not answer on port {port}";
            }
            return null;
        });
        return verdict is null
            ? SimJson.Json(new { healthy = true, address, port })
            : Results.Json(new { healthy = false, address, port, error = verdict }, statusCode: 503);
    });
}
