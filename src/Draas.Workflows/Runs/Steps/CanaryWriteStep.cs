namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The data canary, before the recovery point: writes a fresh token to the workload's canary endpoint on the
/// running server, so the run can prove that the data written up to now is in what it recovers.
/// </summary>
public sealed class CanaryWriteStep(IHttpClientFactory http, ProbeClient probe) : StepHandler<CanaryInput, CanaryWriteOutput>
{
    public override string Kind => RunPlanner.CanaryWrite;

    public override async Task<CanaryWriteOutput> ExecuteAsync(StepContext c, CanaryInput input, CancellationToken ct)
    {
        var id = input.ServerId;
        var name = input.Name ?? id;
        var (port, path) = (input.Port, input.Path);
        var server = await c.SourceAdmin.Compute.Servers.GetAsync(id, ct);
        if (server.Status != "ACTIVE")
            throw new StepFailedException($"the canary's server {name} is {server.Status} at {c.SourceSite.Name}: nothing there can write the token (start it, or run without the canary by removing plan.canary)");
        var address = ServerAddress.Pick(server.AccessIPv4, server.Addresses.SelectMany(a => a.Value).Select(a => a.Addr))
            ?? throw new StepFailedException($"{name} has no address at {c.SourceSite.Name} to write the canary to");
        var calls = new CanaryCalls(http, probe);
        string? last = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // Whole milliseconds, as the token says it: the check compares the two.
            var now = c.Clock.GetUtcNow();
            var at = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
            var token = CanaryCalls.Token(at, c.Run.Id);
            last = await calls.WriteAsync(c.SourceSite.ProbeUrl, address, port, path, token, ct);
            if (last is null) return new CanaryWriteOutput(id, name, address, port, path, token, at, attempt);
            if (attempt < 3) await Task.Delay(TimeSpan.FromSeconds(attempt * 2), ct);
        }
        throw new StepFailedException($"the canary on {name} ({address}:{port}{path}) did not take the token: {last}") { Retryable = true };
    }
}
