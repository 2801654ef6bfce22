using System.Globalization;
using System.Text.Json.Nodes;
using Draas.Cli.Http;
using Draas.Cli.Output;
using Spectre.Console;

namespace Draas.Cli.Runs;

/// <summary>
/// Follows a run until it ends by polling <c>GET /v1/runs/{id}</c>. On a terminal with table
/// output: a Spectre live view. Otherwise: one plain line per change (on stdout for table output,
/// on stderr for -f json/yaml so stdout holds only the final run).
/// </summary>
public sealed class RunWatcher(ApiClient api, Formatter output, TimeSpan interval, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The final run, with <c>rto_seconds</c> added from the report (or its start to finish).</summary>
    public async Task<(JsonObject Run, double? RtoSeconds)> WatchAsync(string runId, CancellationToken ct)
    {
        if (output.Host.Interactive && output.IsTable)
            return await LiveAsync(runId, ct);
        return await PlainAsync(runId, output.IsTable ? output.Host.Out : output.Host.Err, ct);
    }

    async Task<(JsonObject, double?)> LiveAsync(string runId, CancellationToken ct)
    {
        var run = await FetchAsync(runId, ct);
        double? rto = null;
        await output.Console().Live(RunProgressView.Render(run, _clock.GetUtcNow())).AutoClear(false).StartAsync(async live =>
        {
            while (!RunStates.IsFinal(RunStates.State(run)) && !RunStates.AwaitsPerson(RunStates.State(run)))
            {
                await Task.Delay(interval, _clock, ct);
                run = await FetchAsync(runId, ct);
                live.UpdateTarget(RunProgressView.Render(run, _clock.GetUtcNow()));
            }
            if (RunStates.AwaitsPerson(RunStates.State(run))) return;
            rto = await RtoAsync(runId, run, ct);
            live.UpdateTarget(RunProgressView.Render(run, _clock.GetUtcNow(), rto));
        });
        return (run, rto);
    }

    async Task<(JsonObject, double?)> PlainAsync(string runId, TextWriter lines, CancellationToken ct)
    {
        string? lastState = null;
        var stepStates = new Dictionary<string, string?>();
        while (true)
        {
            var run = await FetchAsync(runId, ct);
            var state = RunStates.State(run);
            var now = _clock.GetUtcNow();
            foreach (var step in RunStates.Steps(run))
            {
                var key = Cells.Text(step["id"]) is { Length: > 0 } id ? id : Cells.Text(step["sequence"]);
                var stepState = RunStates.StepState(step);
                if (stepStates.TryGetValue(key, out var before) && before == stepState) continue;
                if (before is null && stepState == "pending" && lastState is null) { stepStates[key] = stepState; continue; }
                stepStates[key] = stepState;
                var duration = stepState is "succeeded" or "failed" or "skipped" or "cancelled" ? RunStates.Duration(RunStates.StepSeconds(step, now)) : "";
                var error = Cells.String(step, "error") is { } e ? ": " + e : "";
                await lines.WriteLineAsync($"{Stamp(now)} step {Cells.Text(step["sequence"])} (phase {Cells.Text(step["phase"])}) {Cells.String(step, "kind")}{(RunStates.Name(step) is { Length: > 0 } name ? " " + name : "")}: {stepState}{(duration.Length > 0 ? " in " + duration : "")}{error}");
            }
            if (state != lastState)
            {
                await lines.WriteLineAsync($"{Stamp(now)} run {runId} ({Cells.String(run, "kind")}): {state}{Progress(run)}");
                lastState = state;
            }
            if (RunStates.AwaitsPerson(state))
            {
                await lines.WriteLineAsync(state == "awaiting_commit"
                    ? $"Run {runId} awaits commit: the tenant runs at the recovery site. 'draasctl run commit {runId}' keeps it, 'draasctl run rollback {runId}' takes it back."
                    : $"Run {runId} awaits approval; 'draasctl run approve {runId}' lets it go on, 'draasctl run cancel {runId}' stops it.");
                return (run, null);
            }
            if (RunStates.IsFinal(state))
            {
                var rto = await RtoAsync(runId, run, ct);
                var error = Cells.String(run, "error") is { } e ? ": " + e : "";
                await lines.WriteLineAsync($"Run {runId} {state}{error}; RTO {RunStates.Duration(rto)}.");
                return (run, rto);
            }
            await Task.Delay(interval, _clock, ct);
        }
    }

    /// <summary>Consecutive failed polls tolerated: a failover outlives a service restart or a proxy's 502.</summary>
    public const int MaxMissedPolls = 5;

    int _missed;

    /// <summary>
    /// The run now. A failure of the service (5xx, no answer) is retried after the interval, up to
    /// <see cref="MaxMissedPolls"/> in a row, with a line on stderr; the caller's mistakes (404) end the watch at once.
    /// </summary>
    async Task<JsonObject> FetchAsync(string runId, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var run = (await api.GetAsync($"runs/{runId}", ct))["run"] as JsonObject
                    ?? throw CliException.Failure($"GET /v1/runs/{runId} answered without a 'run' object.");
                _missed = 0;
                return run;
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Failure && ++_missed < MaxMissedPolls)
            {
                await output.Host.Err.WriteLineAsync($"draasctl: {e.Message} Retrying ({_missed}/{MaxMissedPolls - 1}).");
                await Task.Delay(interval, _clock, ct);
            }
        }
    }

    /// <summary>The report's RTO when the service has one for this run; else start to finish.</summary>
    async Task<double?> RtoAsync(string runId, JsonObject run, CancellationToken ct)
    {
        try
        {
            var report = await api.GetAsync($"runs/{runId}/report", ct);
            if (Cells.Number(report, "report.rto_seconds") is { } rto) return rto;
        }
        catch (CliException)
        {
            // No report (yet): the run's own times say how long it took.
        }
        return RunStates.RunSeconds(run);
    }

    static string Stamp(DateTimeOffset now) => now.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    static string Progress(JsonObject run) =>
        Cells.Number(run, "progress.total") is { } total ? $" ({Cells.Number(run, "progress.done") ?? 0}/{total} steps done{(Cells.Number(run, "progress.failed") is > 0 and var f ? $", {f} failed" : "")})" : "";
}
