namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The data canary, after recovery: reads the tokens back from the recovered server and checks the token this
/// run wrote before its recovery point is there. The newest token found dates the newest write that survived:
/// the data RPO, measured from the workload's side rather than inferred from the arrays' snapshots.
/// </summary>
public sealed class CanaryCheckStep(IHttpClientFactory http, ProbeClient probe) : IStepHandler
{
    public string Kind => RunPlanner.CanaryCheck;

    public IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.BootServer, RunPlanner.CanaryWrite];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var (boot, address) = HealthCheckStep.RecoveredAddress(c);
        var name = boot["name"]?.ToString() ?? c.Required("server_id");
        var port = c.Input["port"]?.GetValue<int>() ?? 80;
        var path = c.Input["path"]?.GetValue<string>() ?? "/canary";
        var written = c.Output(RunPlanner.CanaryWrite, c.Required("server_id"))
            ?? throw new StepFailedException("the canary token was not written before the recovery point");
        var token = written["token"]!.GetValue<string>();
        var writtenAt = written["written_at"]!.GetValue<DateTimeOffset>();
        var calls = new CanaryCalls(http, probe);
        var retries = Math.Max(1, c.Options.ValidationRetries);
        string? last = null;
        for (var attempt = 1; attempt <= retries; attempt++)
        {
            var (tokens, error) = await calls.ReadAsync(c.TargetSite.ProbeUrl, address, port, path, ct);
            if (tokens is not null)
            {
                var newest = tokens.Select(t => (Token: t, At: CanaryCalls.WrittenAt(t))).Where(t => t.At is not null).MaxBy(t => t.At);
                var found = tokens.Contains(token);
                var result = new
                {
                    server_id = boot["server_id"]?.ToString(),
                    name,
                    address,
                    token,
                    written_at = writtenAt,
                    found,
                    tokens = tokens.Count,
                    newest_token = newest.Token,
                    newest_at = newest.At,
                    // How far the newest surviving write lies behind the one this run made before its recovery point.
                    behind_seconds = newest.At is { } n ? Math.Round((writtenAt - n).TotalSeconds, 3) : (double?)null,
                };
                if (found) return result;
                throw new StepFailedException(newest.At is { } at
                    ? $"the canary token this run wrote at {writtenAt:yyyy-MM-dd HH:mm:ss.fff}Z is missing on the recovered {name}: its newest token was written at {at:yyyy-MM-dd HH:mm:ss.fff}Z, {(writtenAt - at).TotalSeconds:0.###} s earlier; writes after that were not recovered"
                    : $"the canary token this run wrote at {writtenAt:yyyy-MM-dd HH:mm:ss.fff}Z is missing: the recovered {name} holds no token of this service at all ({tokens.Count} other tokens)", result);
            }
            last = error;
            if (attempt < retries) await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt * 2)), ct);
        }
        throw new StepFailedException($"the canary on the recovered {name} ({address}:{port}{path}) could not be read {retries} times: {last}",
            new { name, address, token, written_at = writtenAt, found = false, error = last });
    }
}
