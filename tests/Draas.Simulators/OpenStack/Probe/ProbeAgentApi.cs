using System.Net;
using System.Net.Sockets;
using System.Text;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Probe;

/// <summary>
/// A site's probe agent for the benchmarks' latency model (the tests and the demo run the product's own
/// <c>draas probe-agent</c>): <c>GET /{site}/probe?type=tcp|http&amp;address=10.0.0.5&amp;port=22&amp;path=/&amp;expect_status=200</c>
/// finds the server with that fixed (or access) address and opens a real TCP connection to its guest on the
/// lab's guest network, sending a real GET for <c>http</c>: 200 when it answered as expected, else 503 with
/// the reason. It is no kinder than the guests: a port the server's security groups close is refused. A site
/// without the guest network has nothing to probe (503).
/// </summary>
public static class ProbeAgentApi
{
    public static void Map(RouteGroupBuilder root, SimSite site) => root.MapGet("/probe", async (string? type, string? address, int? port, string? path, int? expect_status, CancellationToken ct) =>
    {
        if (site.Delays.Probe > TimeSpan.Zero) await Task.Delay(site.Delays.Probe, ct);
        type ??= "tcp";
        if (string.IsNullOrEmpty(address) || port is null or < 1 or > 65535 || type is not ("tcp" or "http"))
            return Results.Json(new { error = "type (tcp or http), address and port (1-65535) are required" }, statusCode: 400);
        var (target, verdict) = site.Locked<(string?, string?)>(() =>
        {
            if (site.Guests is null) return (null, "this lab site has no guest network: nothing answers a probe");
            var server = site.Compute.Ordered.FirstOrDefault(s => s.AccessIPv4 == address
                || s.PortIds.Select(site.Networks.Port).Any(p => p?.FixedIps.Any(f => f.IpAddress == address) == true));
            if (server is null) return (null, $"no server has address {address}");
            return (server.AccessIPv4, null);
        });
        verdict ??= await ConnectAsync(type, target!, port.Value, path ?? "/", expect_status ?? 200, ct);
        return verdict is null
            ? SimJson.Json(new { healthy = true, address, port })
            : Results.Json(new { healthy = false, address, port, error = verdict }, statusCode: 503);
    });

    private static async Task<string?> ConnectAsync(string type, string address, int port, string path, int expect, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Parse(address), port, limit.Token);
            if (type == "tcp") return null;
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"), limit.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var status = (await reader.ReadLineAsync(limit.Token))?.Split(' ');
            return status is [_, var code, ..] && code == expect.ToString(System.Globalization.CultureInfo.InvariantCulture) ? null
                : $"HTTP {(status is [_, var c, ..] ? c : "no status line")}, expected {expect}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer from {address}:{port} within 5 s";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return $"{address}:{port}: {e.Message}";
        }
    }
}
