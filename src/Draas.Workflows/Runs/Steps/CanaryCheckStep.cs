namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// The data canary, after recovery: reads the tokens back from the recovered server and checks the token this
/// run wrote before its recovery point is there. The newest token found dates the newest write that survived:
/// the data RPO, measured from the workload's side rather than inferred from the arrays' snapshots.
/// </summary>
public sealed class CanaryCheckStep(IHttpClientFactory http, ProbeClient probe) : StepHandler<CanaryInput, CanaryCheckOutput>
{
    public override string Kind => RunPlanner.CanaryCheck;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.BootServer, RunPlanner.CanaryWrite];

    public override async Task<CanaryCheckOutput> ExecuteAsync(StepContext c, CanaryInput input, CancellationToken ct)
    {
        var (boot, address) = HealthCheckStep.RecoveredAddress(c, input.ServerId);
        var name = boot.Name ?? input.ServerId;
        var (port, path) = (input.Port, input.Path);
        var written = c.Output<CanaryWriteOutput>(RunPlanner.CanaryWrite, input.ServerId)
            ?? throw new StepFailedException("the canary token was not written before the recovery point");
        var (token, writtenAt) = (written.Token, written.WrittenAt);
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
                var result = new CanaryCheckOutput(boot.ServerId, name, address, token, writtenAt, found, tokens.Count, newest.Token, newest.At,
                    // How far the newest surviving write lies behind the one this run made before its recovery point.
                    newest.At is { } n ? Math.Round((writtenAt - n).TotalSeconds, 3) : null);
                if (found) return result;
                throw new StepFailedException(newest.At is { } at
                    ? $"the canary token this run wrote at {writtenAt:yyyy-MM-dd HH:mm:ss.fff}Z is missing on the recovered {name}: its newest token was written at {at:yyyy-MM-dd HH:mm:ss.fff}Z, {(writtenAt - at).TotalSeconds:0.###} s earlier; writes after that were not recovered"
                    : $"the canary token this run wrote at {writtenAt:yyyy-MM-dd HH:mm:ss.fff}Z is missing: the recovered {name} holds no token of this service at all ({tokens.Count} other tokens)", result);
            }
            last = error;
            if (attempt < retries) await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, attempt * 2)), ct);
        }
        throw new StepFailedException($"the canary on the recovered {name} ({address}:{port}{path}) could not be read {retries} times: {last}",
            new CanaryCheckOutput(null, name, address, token, writtenAt, Found: false, Error: last));
    }
}
