using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;
using Draas.Cli.Runs;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl run</c>: start, follow, cancel and report recovery runs (drills, failovers, migrations).</summary>
public static class RunCommands
{
    /// <summary>The run list: plans by name, the run's own time; with --long also the protection and the ids.</summary>
    static Column[] Columns(Dictionary<string, string> plans, Dictionary<string, string> protections, bool wide) =>
    [
        Column.Of("ID", "id"), Column.Of("Kind", "kind"),
        new("Plan", r => NameOf(plans, Cells.String(r, "plan_id"))),
        .. wide ? new[] { new Column("Protection", r => NameOf(protections, Cells.String(r, "protection_id"))), Column.Of("Plan ID", "plan_id") } : [],
        new("State", r => RunStates.State(r) + (Cells.Number(r, "progress.total") is { } total && !RunStates.IsFinal(RunStates.State(r)) ? $" {Cells.Number(r, "progress.done") ?? 0}/{total}" : "")),
        Column.Of("Started", "started_at"), new("Took", r => RunStates.Duration(RunStates.RunSeconds(r))),
        .. wide ? new[] { Column.Of("Created", "created_at"), Column.Of("Finished", "finished_at") } : [],
    ];

    /// <summary>A run's steps: each named (a server's, a volume's name); with --long the target's id in a column of its own.</summary>
    static Column[] StepColumns(bool wide) =>
    [
        Column.Of("#", "sequence"), Column.Of("Phase", "phase"), Column.Of("Step", "kind"), new("Name", RunStates.Name),
        .. wide ? new[] { Column.Of("Target ID", "target") } : [],
        new("State", RunStates.StepState), Column.Of("Tries", "attempts"),
        new("Took", s => RunStates.Duration(s is JsonObject o ? RunStates.StepSeconds(o, DateTimeOffset.UtcNow) : null)),
        Column.Text("Error", "error"),
    ];

    static string NameOf(Dictionary<string, string> names, string? id) => id is null ? "" : names.GetValueOrDefault(id) ?? id;

    static Option<bool> LongOption() => new("--long") { Description = "Also show ids and the less used fields" };

    public static Command Build(CommandBuilder b)
    {
        var run = CommandBuilder.Id("run", "Run id");
        var interval = new Option<double?>("--interval") { Description = "Seconds between polls (default 2)" };

        var plan = new Option<string?>("--plan") { Description = "Recover this plan (name or id)" };
        var protection = new Option<string?>("--protection") { Description = "Recover this whole protection (name or id)" };
        var kind = new Option<string>("--kind") { Description = "drill, failover, planned_migration, reprotect or failback", Required = true };
        var recoveryPoint = new Option<string>("--recovery-point") { Description = "Recovery point: latest (default) or its id/time", DefaultValueFactory = _ => "latest" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the steps the run would take; start nothing" };
        var option = new Option<string[]>("--option") { Description = "KEY=VALUE run option, VALUE as JSON when it parses (repeatable)" };
        var options = new Option<string?>("--options") { Description = "Run options as a JSON object (or @FILE)" };
        var watch = new Option<bool>("--watch") { Description = "Follow the run until it ends (exit 3 unless it succeeds)" };
        var create = b.Command("create", "Start a run: a drill, failover, planned migration, reprotect or failback", async (c, ct) =>
        {
            var body = CreateBody(c.Get(kind), c.Get(plan), c.Get(protection), c.Get(recoveryPoint), c.Get(dryRun), c.Get(option), c.Get(options));
            var api = await c.ApiAsync(ct);
            if (c.Get(plan) is { } p) body["plan_id"] = await Resolver.IdAsync(api, "plans", "plan", p, ct);
            if (c.Get(protection) is { } pr) body["protection_id"] = await Resolver.IdAsync(api, "protections", "protection", pr, ct);
            var created = Resolver.Unwrap(await api.PostAsync("runs", new JsonObject { ["run"] = body }, ct), "run");
            if (c.Get(dryRun))
            {
                if (c.Output.IsTable)
                {
                    c.Host.Out.WriteLine($"Dry run of a {created["kind"]}: {RunStates.Steps(created).Count} steps; nothing was started.");
                    c.Output.List(new JsonArray([.. RunStates.Steps(created).Select(s => s.DeepClone())]), StepColumns(wide: false));
                }
                else c.Output.Data(created);
                return ExitCodes.Ok;
            }
            var id = Cells.String(created, "id") ?? throw CliException.Failure("The service accepted the run but did not say its id.");
            if (c.Get(watch)) return await WatchAsync(c, api, id, c.Get(interval), ct);
            c.Output.Done($"Run {id} ({created["kind"]}) accepted; 'draasctl run watch {id}' follows it.", created);
            return ExitCodes.Ok;
        }, plan, protection, kind, recoveryPoint, dryRun, option, options, watch, interval);

        var planFilter = new Option<string?>("--plan") { Description = "Only runs of this plan (name or id)" };
        var protectionFilter = new Option<string?>("--protection") { Description = "Only runs of this protection (name or id)" };
        var kindFilter = new Option<string?>("--kind") { Description = "Only runs of this kind" };
        var stateFilter = new Option<string?>("--state") { Description = "Only runs in this state" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (one page)" };
        var marker = new Option<string?>("--marker") { Description = "Start after this run id" };
        var listLong = LongOption();
        var list = b.Command("list", "List runs, newest first", async (c, ct) =>
        {
            var k = c.Get(kindFilter) is { } kf ? Kind(kf) : null;
            if (c.Get(stateFilter) is { } s && !RunStates.States.Contains(s)) throw CliException.Usage($"--state takes {string.Join(", ", RunStates.States)}, not '{s}'.");
            var api = await c.ApiAsync(ct);
            var runs = await api.ListAsync("runs", "runs", new Dictionary<string, string?>
            {
                ["plan_id"] = await Resolver.OptionalIdAsync(api, "plans", "plan", c.Get(planFilter), ct),
                ["protection_id"] = await Resolver.OptionalIdAsync(api, "protections", "protection", c.Get(protectionFilter), ct),
                ["kind"] = k,
                ["state"] = c.Get(stateFilter),
                ["limit"] = c.Get(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["marker"] = c.Get(marker),
            }, ct);
            if (c.Output.IsTable)
                c.Output.List(runs, Columns(await Resolver.NamesAsync(api, "plans", ct), await Resolver.NamesAsync(api, "protections", ct), c.Get(listLong)));
            else c.Output.Data(runs);
            return ExitCodes.Ok;
        }, planFilter, protectionFilter, kindFilter, stateFilter, limit, marker, listLong);

        var showLong = LongOption();
        var show = b.Command("show", "Show a run and its steps", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var shown = Resolver.Unwrap(await api.GetAsync($"runs/{RunId(c.Get(run))}", ct), "run");
            if (!c.Output.IsTable)
            {
                c.Output.Data(shown);
                return ExitCodes.Ok;
            }
            var wide = c.Get(showLong);
            var plans = await Resolver.NamesAsync(api, "plans", ct);
            var protections = await Resolver.NamesAsync(api, "protections", ct);
            c.Output.Show(Summary(shown, plans, protections, wide));
            c.Output.List(new JsonArray([.. RunStates.Steps(shown).Select(s => s.DeepClone())]), StepColumns(wide));
            return ExitCodes.Ok;
        }, run, showLong);

        var watchCommand = b.Command("watch", "Follow a run until it ends or waits for a person: exit 0 if it succeeded, 3 if it failed, was cancelled or rolled back, 4 if it awaits approval or commit, 1 if the service cannot be reached", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            return await WatchAsync(c, api, RunId(c.Get(run)), c.Get(interval), ct);
        }, run, interval);

        var cancel = b.Command("cancel", "Ask a running run to stop (its finished steps stay done)", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = RunId(c.Get(run));
            var answer = await api.PostAsync($"runs/{id}/action", new JsonObject { ["cancel"] = new JsonObject() }, ct);
            c.Output.Done($"Cancel of run {id} requested; 'draasctl run watch {id}' shows it stop.", answer ?? new JsonObject { ["run"] = new JsonObject { ["id"] = id, ["state"] = "cancelling" } });
            return ExitCodes.Ok;
        }, run);

        var watchResume = new Option<bool>("--watch") { Description = "Follow the resumed run until it ends (exit 0 only if it succeeds)" };
        var resume = b.Command("resume", "Go on with a failed or cancelled run in place: succeeded steps stay done, the failed, cancelled and skipped ones run again; nothing is promoted, imported or booted twice", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = RunId(c.Get(run));
            var answer = await api.PostAsync($"runs/{id}/action", new JsonObject { ["resume"] = new JsonObject() }, ct);
            c.Output.Done($"Run {id} resumed; 'draasctl run watch {id}' follows it.", answer ?? new JsonObject { ["run"] = new JsonObject { ["id"] = id, ["state"] = "running" } });
            return c.Get(watchResume) ? await WatchAsync(c, api, id, c.Get(interval), ct) : ExitCodes.Ok;
        }, run, watchResume, interval);

        var watchApprove = new Option<bool>("--watch") { Description = "Follow the approved run until it ends or waits again" };
        var approve = b.Command("approve", "Let a run waiting at an approval hook go on (who may is the policy rule draas:run:approve:<kind>)", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = RunId(c.Get(run));
            var answer = await api.PostAsync($"runs/{id}/action", new JsonObject { ["approve"] = new JsonObject() }, ct);
            c.Output.Done($"Run {id} approved; 'draasctl run watch {id}' follows it.", answer ?? new JsonObject { ["run"] = new JsonObject { ["id"] = id, ["state"] = "running" } });
            return c.Get(watchApprove) ? await WatchAsync(c, api, id, c.Get(interval), ct) : ExitCodes.Ok;
        }, run, watchApprove, interval);

        var watchDecision = new Option<bool>("--watch") { Description = "Follow the run until it ends (exit 0 only if it succeeds)" };
        Command Decide(string action, string description, string done, string state) => b.Command(action, description, async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = RunId(c.Get(run));
            var answer = await api.PostAsync($"runs/{id}/action", new JsonObject { [action] = new JsonObject() }, ct);
            c.Output.Done($"Run {id} {done}; 'draasctl run watch {id}' follows it.", answer ?? new JsonObject { ["run"] = new JsonObject { ["id"] = id, ["state"] = state } });
            return c.Get(watchDecision) ? await WatchAsync(c, api, id, c.Get(interval), ct) : ExitCodes.Ok;
        }, run, watchDecision, interval);
        var commit = Decide("commit", "Keep a failover or planned migration that awaits commit: the plan runs at the recovery site from now on (policy rule draas:run:commit:<kind>)", "committed", "running");
        var rollback = Decide("rollback", "Take back a failover or planned migration that awaits commit: what it made at the recovery site is removed and the primary runs again (policy rule draas:run:rollback:<kind>)", "is rolling back", "rolling_back");

        var markdown = new Option<bool>("--markdown") { Description = "The report as Markdown" };
        var file = new Option<string?>("--output", "-o") { Description = "Write the Markdown report to this file" };
        var reportLong = LongOption();
        var report = b.Command("report", "A finished run's report: RTO per step, RPO, data check, cleanup", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = RunId(c.Get(run));
            if (c.Get(markdown) || c.Get(file) is not null)
            {
                var text = await api.GetTextAsync($"runs/{id}/report", "text/markdown", ct);
                await WriteTextAsync(c, text, c.Get(file), $"Report of run {id}", ct);
                return ExitCodes.Ok;
            }
            var body = Resolver.Unwrap(await api.GetAsync($"runs/{id}/report", ct), "report");
            ShowReport(c.Output, body, c.Get(reportLong));
            return ExitCodes.Ok;
        }, run, markdown, file, reportLong);

        return CommandBuilder.Group("run", "Recovery runs: drills, failovers, planned migrations, reprotect, failback", create, list, show, watchCommand, cancel, resume, approve, commit, rollback, report);
    }

    /// <summary><c>draasctl runbook PROTECTION [-o FILE]</c>: the tenant's recovery runbook in Markdown.</summary>
    public static Command BuildRunbook(CommandBuilder b)
    {
        var protection = CommandBuilder.Id("protection", "Protection name or id");
        var file = new Option<string?>("--output", "-o") { Description = "Write the runbook to this file" };
        return b.Command("runbook", "A protection's recovery runbook (Markdown)", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "protections", "protection", c.Get(protection), ct);
            var text = await api.GetTextAsync($"protections/{id}/runbook", "text/markdown", ct);
            await WriteTextAsync(c, text, c.Get(file), $"Runbook of protection {c.Get(protection)}", ct);
            return ExitCodes.Ok;
        }, protection, file);
    }

    /// <summary>A run for people: names, times in one format, durations, progress as a sentence; with --long the ids and the rest.</summary>
    internal static JsonObject Summary(JsonObject run, Dictionary<string, string> plans, Dictionary<string, string> protections, bool wide)
    {
        var planId = Cells.String(run, "plan_id");
        var protectionId = Cells.String(run, "protection_id");
        var progress = Cells.Number(run, "progress.total") is { } total
            ? $"{Cells.Number(run, "progress.done") ?? 0} of {total} steps done, {Cells.Number(run, "progress.running") ?? 0} running, {Cells.Number(run, "progress.failed") ?? 0} failed"
            : null;
        var summary = new JsonObject
        {
            ["Run"] = Cells.String(run, "id"),
            ["Kind"] = Cells.String(run, "kind"),
            ["State"] = RunStates.State(run),
            ["Plan"] = planId is null ? null : NameOf(plans, planId) + (wide ? $" ({planId})" : ""),
            ["Protection"] = protectionId is null ? null : NameOf(protections, protectionId) + (wide ? $" ({protectionId})" : ""),
            ["Recovery point"] = run["recovery_point"]?.DeepClone(),
            ["Started"] = run["started_at"]?.DeepClone(),
            ["Finished"] = run["finished_at"]?.DeepClone(),
            ["Took"] = RunStates.Duration(RunStates.RunSeconds(run)),
            ["Progress"] = progress,
            ["Error"] = run["error"]?.DeepClone(),
        };
        if (wide)
        {
            foreach (var key in new[] { "project_id", "target_project_id", "requested_by", "max_parallel", "recovery_timeout", "dry_run", "created_at" })
                summary[key] = run[key]?.DeepClone();
        }
        foreach (var key in summary.Where(kv => kv.Value is null || kv.Value.ToString().Length == 0).Select(kv => kv.Key).ToList())
            summary.Remove(key);
        return summary;
    }

    internal static JsonObject CreateBody(string kind, string? plan, string? protection, string recoveryPoint, bool dryRun, string[]? pairs, string? json)
    {
        if ((plan is null) == (protection is null)) throw CliException.Usage("run create needs exactly one of --plan and --protection.");
        var options = json is null ? [] : Inputs.JsonObject("--options", json);
        foreach (var pair in pairs ?? [])
        {
            var (key, value) = Inputs.KeyValue("--option", pair);
            JsonNode? parsed;
            try { parsed = JsonNode.Parse(value); }
            catch (System.Text.Json.JsonException) { parsed = value; }
            options[key] = parsed;
        }
        return new JsonObject
        {
            ["kind"] = Kind(kind),
            ["recovery_point"] = recoveryPoint,
            ["dry_run"] = dryRun,
            ["options"] = options,
        };
    }

    static string Kind(string kind)
    {
        var normal = kind.Replace('-', '_').ToLowerInvariant();
        return RunStates.Kinds.Contains(normal) ? normal : throw CliException.Usage($"--kind takes {string.Join(", ", RunStates.Kinds)}, not '{kind}'.");
    }

    /// <summary>Run ids are UUIDs; anything else would only earn a 404 from the service.</summary>
    static string RunId(string text) => Guid.TryParse(text, out var id) ? id.ToString() : throw CliException.Usage($"'{text}' is not a run id (a UUID; 'draasctl run list' shows them).");

    static async Task<int> WatchAsync(CommandContext c, Http.ApiClient api, string id, double? seconds, CancellationToken ct)
    {
        if (seconds is <= 0) throw CliException.Usage("--interval must be a positive number of seconds.");
        var interval = seconds is { } s ? TimeSpan.FromSeconds(s) : c.Host.PollInterval;
        var (final, rto) = await new RunWatcher(api, c.Output, interval).WatchAsync(id, ct);
        if (!c.Output.IsTable)
        {
            var data = final.DeepClone().AsObject();
            data["rto_seconds"] = rto;
            c.Output.Data(data);
        }
        if (RunStates.AwaitsPerson(RunStates.State(final))) return ExitCodes.AwaitingDecision;
        return RunStates.State(final) == "succeeded" ? ExitCodes.Ok : ExitCodes.RunFailed;
    }

    static void ShowReport(Formatter output, JsonObject report, bool wide)
    {
        if (!output.IsTable)
        {
            output.Data(report);
            return;
        }
        var skewed = report["warnings"] is JsonArray { Count: > 0 };
        var summary = new JsonObject
        {
            ["Run"] = Cells.String(report, "run_id"),
            ["Kind"] = Cells.String(report, "kind"),
            ["State"] = Cells.String(report, "state"),
            ["Plan"] = Cells.String(report, "plan.name") + (wide ? $" ({Cells.String(report, "plan.id")})" : ""),
            ["Protection"] = Cells.String(report, "protection.name") + (wide ? $" ({Cells.String(report, "protection.id")})" : ""),
            ["Started"] = report["started_at"]?.DeepClone(),
            ["Finished"] = report["finished_at"]?.DeepClone(),
            ["RTO"] = RunStates.Duration(Cells.Number(report, "rto_seconds")),
            ["RPO"] = Cells.Number(report, "rpo_seconds") is { } rpo ? RunStates.Duration(rpo) : skewed ? "unknown (clock skew)" : "",
            ["Recovery point"] = report["recovery_point_at"]?.DeepClone(),
            ["Took"] = RunStates.Duration(Cells.Number(report, "duration_seconds")),
            ["Target project"] = report["target_project_id"]?.DeepClone(),
            ["Error"] = report["error"]?.DeepClone(),
        };
        foreach (var key in summary.Where(kv => kv.Value is null || kv.Value.ToString().Length == 0).Select(kv => kv.Key).ToList()) summary.Remove(key);
        output.Show(summary);
        var steps = report["steps"] as JsonArray ?? [];
        if (steps.Count > 0) output.List(steps, StepColumns(wide));
        var recovered = new JsonArray([
            .. (Cells.At(report, "recovered.volumes") as JsonArray ?? []).Select(v => (JsonNode)new JsonObject { ["what"] = "volume", ["name"] = v?["name"]?.DeepClone(), ["old"] = v?["source_id"]?.DeepClone(), ["new"] = v?["volume_id"]?.DeepClone() }),
            .. (Cells.At(report, "recovered.servers") as JsonArray ?? []).Select(v => (JsonNode)new JsonObject { ["what"] = "server", ["name"] = v?["name"]?.DeepClone(), ["old"] = v?["source_id"]?.DeepClone(), ["new"] = v?["server_id"]?.DeepClone() }),
        ]);
        if (recovered.Count > 0) output.List(recovered, Column.Of("Recovered", "what"), Column.Of("Name", "name"), Column.Of("Old ID", "old"), Column.Of("New ID", "new"));
        if (report["health"] is JsonArray { Count: > 0 } health)
            output.List(health, Column.Of("Health check", "name"), Column.Of("Check", "check"), Column.Of("Address", "address"), Column.Of("State", "state"), Column.Of("Tries", "attempts"), Column.Text("Error", "error"));
        if (report["cleanup"] is JsonObject cleanup)
            output.Host.Out.WriteLine($"Cleanup: recovery site as before the drill: {(cleanup["clean"]?.GetValue<bool>() == true ? "yes" : "no")}");
        foreach (var warning in (report["warnings"] as JsonArray ?? []).Select(w => w?.ToString()))
            output.Host.Out.WriteLine($"Warning: {warning}");
    }

    static async Task WriteTextAsync(CommandContext c, string text, string? file, string what, CancellationToken ct)
    {
        if (file is null)
        {
            await c.Host.Out.WriteAsync(text);
            if (!text.EndsWith('\n')) await c.Host.Out.WriteLineAsync();
            return;
        }
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(file, text, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"Cannot write {file}: {e.Message.TrimEnd('.')}.");
        }
        c.Output.Done($"{what} written to {file}.", new JsonObject { ["file"] = file, ["bytes"] = System.Text.Encoding.UTF8.GetByteCount(text) });
    }
}
