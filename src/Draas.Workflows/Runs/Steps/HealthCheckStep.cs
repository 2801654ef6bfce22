using System.Net.Sockets;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Checks a recovered server answers (TCP connect, or HTTP with the expected status), from the recovery
/// site's view: through the site's probe agent when it has one, else from the service itself. Retries
/// with backoff (<c>validation_retries</c>) before it fails; between tries it is parked on a timer, holding no worker.
/// </summary>
public sealed class HealthCheckStep(IHttpClientFactory http, ProbeClient probe) : StepHandler<HealthCheckInput, HealthCheckOutput>
{
    public override string Kind => RunPlanner.HealthCheck;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.BootServer];

    public override async Task<HealthCheckOutput> ExecuteAsync(StepContext c, HealthCheckInput input, CancellationToken ct)
    {
        var (boot, address) = RecoveredAddress(c, input.ServerId);
        var (type, port, path, expect, retries) = (input.Type, input.Port, input.Path, input.ExpectStatus, input.Retries);
        // Tries so far travel with the step's timer: between tries the step is parked, holding no worker.
        var attempt = (c.Woken is { Kind: StepWait.Timer } woken ? woken.Count : 0) + 1;
        var last = await ProbeAsync(c.TargetSite.ProbeUrl, type, address, port, path, expect, ct);
        if (last is null) return new HealthCheckOutput(address, type, port, attempt, Healthy: true);
        // Real time between tries: a check waits for a guest's network, not for the simulated clouds' clock.
        if (attempt < retries) throw c.Sleep(TimeSpan.FromSeconds(Math.Min(10, attempt * 2)), attempt);
        throw new StepFailedException($"{boot.Name} ({address}) failed its {type} check on port {port} {retries} times: {last}",
            new HealthCheckOutput(address, type, port, retries, Healthy: false, last));
    }

    /// <summary>The recovered server's boot output and the address to reach it at (<see cref="ServerAddress"/>).</summary>
    public static (BootServerOutput Boot, string Address) RecoveredAddress(StepContext c, string serverId)
    {
        var boot = c.Output<BootServerOutput>(RunPlanner.BootServer, serverId) ?? throw new StepFailedException("the server was not booted");
        var address = ServerAddress.Pick(boot.AccessIpv4, boot.Addresses.Select(a => a.Address))
            ?? throw new StepFailedException($"{boot.Name} has no address to check");
        return (boot, address);
    }

    /// <summary>Null when healthy, else what went wrong.</summary>
    private async Task<string?> ProbeAsync(string? agent, string type, string address, int port, string path, int expect, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var client = http.CreateClient("health");
            if (agent is not null)
            {
                var url = $"{agent.TrimEnd('/')}/probe?type={type}&address={Uri.EscapeDataString(address)}&port={port}&path={Uri.EscapeDataString(path)}&expect_status={expect}";
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (probe.Secret is not null) request.Headers.Add(ProbeClient.SecretHeader, probe.Secret);
                using var answer = await client.SendAsync(request, timeout.Token);
                return answer.IsSuccessStatusCode ? null : $"probe agent: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(timeout.Token)}";
            }
            if (type == "http")
            {
                using var answer = await client.GetAsync($"http://{address}:{port}{path}", timeout.Token);
                return (int)answer.StatusCode == expect ? null : $"HTTP {(int)answer.StatusCode}, expected {expect}";
            }
            using var socket = new TcpClient();
            await socket.ConnectAsync(address, port, timeout.Token);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e.Message;
        }
    }
}
