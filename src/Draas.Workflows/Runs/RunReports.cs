using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Runs;
using Draas.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// The proof of what a run did: RTO (start until the last server was up and checked) and per step, RPO
/// (run start minus the recovery point's time), what was recovered with old → new ids, every failure with
/// its reason, and for a drill the cleanup proof (the recovery site's inventory before and after).
/// </summary>
public sealed class RunReports(DraasDbContext db)
{
    public async Task<string> BuildJsonAsync(Run run, IReadOnlyList<Step> steps, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Where(p => p.Id == run.PlanId).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(ct);
        var protection = await db.Protections.AsNoTracking().Where(p => p.Id == run.ProtectionId).Select(p => new { p.Id, p.Name }).SingleAsync(ct);
        return Build(run, steps, plan?.Name, protection.Name).ToJsonString(RunJson.Options);
    }

    public static JsonObject Build(Run run, IReadOnlyList<Step> steps, string? planName, string protectionName)
    {
        JsonObject Out(Step s) => RunJson.Object(s.Output);
        var ordered = steps.OrderBy(s => s.Sequence).ToList();
        // The RTO ends when the last server was up and checked: not with a drill's cleanup, a person's commit or a rollback.
        var service = ordered.Where(s => s.Kind is not (RunPlanner.Cleanup or RunPlanner.Reprotect or RunPlanner.RestartPrimary or CommitDecisions.DecisionStep or CommitDecisions.RollbackStep)
            && s.FinishedAt is not null).ToList();
        var restoredAt = service.Count == 0 ? null : service.Max(s => s.FinishedAt);
        var points = ordered.Where(s => s.Kind == RunPlanner.PromoteVolume && s.State == StepState.Succeeded)
            .Select(s => Out(s)["recovery_point"]?["time"]?.GetValue<DateTimeOffset>()).OfType<DateTimeOffset>().ToList();
        DateTimeOffset? pointAt = points.Count > 0 ? points.Min() : run.RecoveryPointAt;
        var warnings = ClockWarnings(ordered);
        var cleanup = ordered.FirstOrDefault(s => s.Kind == RunPlanner.Cleanup);
        var reprotect = ordered.FirstOrDefault(s => s.Kind == RunPlanner.Reprotect && s.State == StepState.Succeeded);
        var fence = ordered.FirstOrDefault(s => s.Kind == RunPlanner.FencePrimary);
        var restart = ordered.FirstOrDefault(s => s.Kind == RunPlanner.RestartPrimary && s.State is StepState.Succeeded or StepState.Failed);
        var decision = ordered.FirstOrDefault(s => s.Kind == CommitDecisions.DecisionStep);
        var rollback = ordered.FirstOrDefault(s => s.Kind == CommitDecisions.RollbackStep && s.State is StepState.Succeeded or StepState.Failed);
        return new JsonObject
        {
            ["run_id"] = run.Id.ToString(),
            ["kind"] = RunPlanner.Word(run.Kind),
            ["state"] = RunPlanner.Word(run.State),
            ["dry_run"] = run.DryRun,
            ["protection"] = new JsonObject { ["id"] = run.ProtectionId.ToString(), ["name"] = protectionName },
            ["plan"] = new JsonObject { ["id"] = run.PlanId?.ToString(), ["name"] = planName },
            ["target_project_id"] = run.TargetProjectId,
            ["created_at"] = run.CreatedAt,
            ["started_at"] = run.StartedAt,
            ["finished_at"] = run.FinishedAt,
            ["rto_seconds"] = run.StartedAt is { } s0 && restoredAt is { } r ? Math.Round((r - s0).TotalSeconds, 3) : null,
            ["duration_seconds"] = run.StartedAt is { } s1 && run.FinishedAt is { } f ? Math.Round((f - s1).TotalSeconds, 3) : null,
            ["recovery_point_at"] = pointAt,
            // A point taken after the run started (a planned migration's last replication) lost nothing the run
            // could have had: 0, not negative. A point from the service's future is clock skew: RPO unknown.
            ["rpo_seconds"] = warnings.Count == 0 && run.StartedAt is { } s2 && pointAt is { } p ? Math.Max(0, Math.Round((s2 - p).TotalSeconds, 3)) : null,
            ["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)w)]),
            // The operator's hooks and who approved what: the RTO above includes the time a person took to decide.
            ["hooks"] = new JsonArray([.. ordered.Where(x => x.Kind is Hooks.HookPlanner.WebhookStep or Hooks.HookPlanner.ApprovalStep).Select(x => (JsonNode)new JsonObject
            {
                ["kind"] = x.Kind,
                ["at"] = x.Target,
                ["state"] = RunPlanner.Word(x.State),
                ["outcome"] = x.Output is null ? null : JsonNode.Parse(x.Output),
                ["error"] = x.Error,
            })]),
            ["phases"] = new JsonArray([.. ordered.GroupBy(x => x.Phase).OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
            {
                ["phase"] = g.Key,
                ["steps"] = g.Count(),
                ["seconds"] = g.Any(x => x.StartedAt is null) || g.Any(x => x.FinishedAt is null) ? null
                    : Math.Round((g.Max(x => x.FinishedAt)!.Value - g.Min(x => x.StartedAt)!.Value).TotalSeconds, 3),
            })]),
            ["steps"] = new JsonArray([.. ordered.Select(x => JsonSerializer.SerializeToNode(StepSummary.Of(x), RunJson.Options))]),
            ["recovered"] = new JsonObject
            {
                ["volumes"] = new JsonArray([.. ordered.Where(x => x.Kind == RunPlanner.ImportVolume && x.State == StepState.Succeeded).Select(x => (JsonNode)new JsonObject
                {
                    ["source_id"] = x.Target,
                    ["name"] = Out(x)["name"]?.DeepClone(),
                    ["volume_id"] = Out(x)["volume_id"]?.DeepClone(),
                    ["from_array_volume"] = Out(x)["from_array_volume"]?.DeepClone(),
                })]),
                ["servers"] = new JsonArray([.. ordered.Where(x => x.Kind == RunPlanner.BootServer && x.State == StepState.Succeeded).Select(x => (JsonNode)new JsonObject
                {
                    ["source_id"] = x.Target,
                    ["name"] = Out(x)["name"]?.DeepClone(),
                    ["server_id"] = Out(x)["server_id"]?.DeepClone(),
                    ["addresses"] = Out(x)["addresses"]?.DeepClone(),
                })]),
            },
            ["health"] = new JsonArray([.. ordered.Where(x => x.Kind == RunPlanner.HealthCheck).Select(x => (JsonNode)new JsonObject
            {
                ["server_id"] = x.Target,
                ["name"] = RunJson.Object(x.Input)["name"]?.DeepClone(),
                ["check"] = CheckText(RunJson.Object(x.Input)),
                ["state"] = RunPlanner.Word(x.State),
                ["attempts"] = Out(x)["attempts"]?.DeepClone(),
                ["address"] = Out(x)["address"]?.DeepClone(),
                ["error"] = Out(x)["error"]?.DeepClone() ?? x.Error,
            })]),
            ["data_check"] = DataCheck(ordered),
            ["network"] = NetworkPlanning.Report(ordered),
            ["cleanup"] = cleanup is null ? null : Out(cleanup),
            ["resumes"] = run.Resumes,
            // A failover says whether the primary was fenced (no split brain), and if not, why.
            ["fencing"] = run.Kind != RunKind.Failover ? null
                : fence is null ? new JsonObject { ["fenced"] = false, ["reason"] = "not fenced on request (fence_primary: false): the primary's servers were left as they were" }
                : fence.State == StepState.Succeeded ? Out(fence)
                : new JsonObject { ["fenced"] = false, ["reason"] = $"the fencing step {RunPlanner.Word(fence.State)}{(fence.Error is null ? "" : $": {fence.Error}")}" },
            // Manual commit: what was decided, by whom (or by the commit_timeout) and when; and what a rollback undid.
            ["commit"] = decision is null ? null : new JsonObject
            {
                ["mode"] = "manual",
                ["state"] = RunPlanner.Word(decision.State),
                ["awaiting_since"] = decision.StartedAt,
                ["auto_action"] = RunJson.Object(decision.Input)["auto_action"]?.DeepClone(),
                ["auto_action_at"] = decision.State == StepState.Pending ? decision.NotBefore : null,
                ["decision"] = Out(decision)["decision"]?.DeepClone(),
                ["decided_by"] = Out(decision)["decided_by"]?.DeepClone(),
                ["decided_at"] = Out(decision)["decided_at"]?.DeepClone(),
                ["automatic"] = Out(decision)["automatic"]?.DeepClone(),
            },
            ["rollback"] = rollback is null ? null : Out(rollback),
            // A cancelled migration says whether the primary's servers were started again.
            ["primary_restart"] = restart is null ? null : Out(restart),
            // The originals at the site the workload left: stopped, kept, the operator's to delete.
            ["left_behind"] = reprotect is null ? null : Out(reprotect)["stale"]?.DeepClone(),
            ["failures"] = new JsonArray([.. ordered.Where(x => x.State == StepState.Failed).Select(x => (JsonNode)new JsonObject
            {
                ["step"] = x.Sequence,
                ["kind"] = x.Kind,
                ["target"] = x.Target,
                ["name"] = StepName(x),
                ["error"] = x.Error,
            })]),
            ["error"] = run.Error,
        };
    }

    /// <summary>The data canary's verdict: the token written before the recovery point and whether the recovered
    /// server holds it, with the newest token found (its time dates the newest write that survived).</summary>
    private static JsonObject? DataCheck(List<Step> ordered)
    {
        var write = ordered.FirstOrDefault(s => s.Kind == RunPlanner.CanaryWrite);
        if (write is null) return null;
        var check = ordered.FirstOrDefault(s => s.Kind == RunPlanner.CanaryCheck);
        var written = RunJson.Object(write.Output);
        var read = check is null ? new JsonObject() : RunJson.Object(check.Output);
        return new JsonObject
        {
            ["server"] = RunJson.Object(write.Input)["name"]?.DeepClone(),
            ["endpoint"] = $"http:{RunJson.Object(write.Input)["port"]}{RunJson.Object(write.Input)["path"]}",
            ["token"] = written["token"]?.DeepClone(),
            ["written_at"] = written["written_at"]?.DeepClone(),
            ["state"] = RunPlanner.Word(check?.State ?? write.State),
            ["found"] = read["found"]?.DeepClone(),
            ["tokens"] = read["tokens"]?.DeepClone(),
            ["newest_token"] = read["newest_token"]?.DeepClone(),
            ["newest_at"] = read["newest_at"]?.DeepClone(),
            ["behind_seconds"] = read["behind_seconds"]?.DeepClone(),
            ["error"] = check?.Error ?? write.Error,
        };
    }

    /// <summary>Recovery points the arrays dated after the service saw them (the promote ended): their clocks disagree.</summary>
    private static List<string> ClockWarnings(List<Step> ordered) =>
        [.. ordered.Where(s => s.Kind == RunPlanner.PromoteVolume && s.State == StepState.Succeeded && s.FinishedAt is not null)
            .Select(s => (Array: RunJson.Object(s.Input)["source_array"]?.ToString() ?? "the array", Time: RunJson.Object(s.Output)["recovery_point"]?["time"]?.GetValue<DateTimeOffset>(), Seen: s.FinishedAt!.Value))
            .Where(x => x.Time is not null)
            .Select(x => (x.Array, Time: x.Time!.Value, Ahead: ClockSkew.Ahead(x.Time!.Value, x.Seen)))
            .Where(x => x.Ahead is not null)
            .GroupBy(x => x.Array)
            .Select(g => g.MaxBy(x => x.Ahead)!)
            .Select(x => ClockSkew.ArrayAhead(x.Array, x.Time, x.Ahead!.Value))];

    private static string CheckText(JsonObject input) => Domain.Protection.HealthCheck.From(input).Describe();

    /// <summary>What people call a step's target: the server's, volume's, flavor's or keypair's name (the target is its id).</summary>
    public static string? StepName(Step s) => RunJson.Object(s.Input)["name"]?.ToString() is { Length: > 0 } name
        ? (s.Kind == RunPlanner.HealthCheck ? $"{name} {CheckText(RunJson.Object(s.Input))}" : name)
        : s.Target;


    /// <summary>The report for people: what an auditor or the tenant reads after a drill. Names first, ids beside them;
    /// times in one format and durations as people say them (<see cref="Readable"/>).</summary>
    public static string Markdown(JsonObject report)
    {
        var md = new StringBuilder();
        string V(JsonNode? n) => n switch
        {
            null => "–",
            JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", CultureInfo.InvariantCulture),
            JsonValue v when v.TryGetValue<DateTimeOffset>(out var t) => Readable.Time(t),
            _ => Cell(n.ToString()),
        };
        string D(JsonNode? seconds) => seconds is JsonValue v && v.TryGetValue<double>(out var d) ? Readable.Duration(d) : "–";
        md.AppendLine(CultureInfo.InvariantCulture, $"# DR {V(report["kind"])} report: {V(report["protection"]?["name"])} / {V(report["plan"]?["name"])}");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("| --- | --- |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| run | {V(report["run_id"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| state | {V(report["state"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| plan | {V(report["plan"]?["name"])} ({V(report["plan"]?["id"])}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| protection | {V(report["protection"]?["name"])} ({V(report["protection"]?["id"])}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| started | {V(report["started_at"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| finished | {V(report["finished_at"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RTO | {D(report["rto_seconds"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| RPO | {(report["rpo_seconds"] is null && report["warnings"]?.AsArray().Count > 0 ? "unknown (clock skew, see warnings)" : D(report["rpo_seconds"]))} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| recovery point | {V(report["recovery_point_at"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| took | {D(report["duration_seconds"])} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| target project | {V(report["target_project_id"])} |");
        if (report["error"] is not null) md.AppendLine(CultureInfo.InvariantCulture, $"| error | {V(report["error"])} |");
        if (report["warnings"] is JsonArray { Count: > 0 } warnings)
        {
            md.AppendLine();
            md.AppendLine("## Warnings");
            md.AppendLine();
            foreach (var w in warnings) md.AppendLine(CultureInfo.InvariantCulture, $"- {V(w)}");
        }
        if (report["hooks"] is JsonArray { Count: > 0 } hooks)
        {
            md.AppendLine();
            md.AppendLine("## Hooks and approvals");
            md.AppendLine();
            foreach (var h in hooks)
            {
                var outcome = h!["outcome"];
                var said = outcome?["approved_by"] is { } by ? $"approved by {V(by)} at {V(outcome["approved_at"])}"
                    : outcome?["status"] is { } status ? $"answered {V(status)}"
                    : outcome?["error"] is { } e ? $"{V(e)} (the run went on)"
                    : V(h["error"]);
                md.AppendLine(CultureInfo.InvariantCulture, $"- {V(h["kind"])} {V(h["at"])}: {V(h["state"])}, {said}");
            }
        }
        if (report["commit"] is JsonObject commit)
        {
            md.AppendLine();
            md.AppendLine("## Commit");
            md.AppendLine();
            var timedOut = commit["automatic"]?.GetValue<bool>() == true ? " (the commit_timeout passed)" : "";
            var due = commit["auto_action_at"] is { } at ? "; " + V(commit["auto_action"]) + " at " + V(at) + " unless someone decides" : "";
            if (commit["decision"] is { } decided)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {V(decided)} decided by {V(commit["decided_by"])} at {V(commit["decided_at"])}{timedOut}");
            else md.AppendLine(CultureInfo.InvariantCulture, $"- awaiting commit since {V(commit["awaiting_since"])}{due}");
            if (report["rollback"] is JsonObject rolled)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {V(rolled["reason"])}");
        }
        md.AppendLine();
        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| # | phase | step | name | state | attempts | took | error |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var s in report["steps"]!.AsArray())
            md.AppendLine(CultureInfo.InvariantCulture, $"| {V(s!["sequence"])} | {V(s["phase"])} | {V(s["kind"])} | {V(s["name"] ?? s["target"])} | {V(s["state"])} | {V(s["attempts"])} | {D(s["duration_seconds"])} | {V(s["error"])} |");
        if (report["recovered"]!["volumes"]!.AsArray().Count + report["recovered"]!["servers"]!.AsArray().Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Recovered");
            md.AppendLine();
            md.AppendLine("| what | name | old id | new id |");
            md.AppendLine("| --- | --- | --- | --- |");
            foreach (var v in report["recovered"]!["volumes"]!.AsArray())
                md.AppendLine(CultureInfo.InvariantCulture, $"| volume | {V(v!["name"])} | {V(v["source_id"])} | {V(v["volume_id"])} |");
            foreach (var s in report["recovered"]!["servers"]!.AsArray())
                md.AppendLine(CultureInfo.InvariantCulture, $"| server | {V(s!["name"])} | {V(s["source_id"])} | {V(s["server_id"])} |");
        }
        if (report["health"] is JsonArray { Count: > 0 } health)
        {
            md.AppendLine();
            md.AppendLine("## Health checks");
            md.AppendLine();
            md.AppendLine("| server | check | address | state | attempts | error |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var h in health)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {V(h!["name"] ?? h["server_id"])} | {V(h["check"])} | {V(h["address"])} | {V(h["state"])} | {V(h["attempts"])} | {V(h["error"])} |");
        }
        if (report["data_check"] is JsonObject data)
        {
            md.AppendLine();
            md.AppendLine("## Data check (canary)");
            md.AppendLine();
            var verdict = data["found"]?.GetValue<bool>() switch
            {
                true => "**found**: every write the workload acknowledged before the recovery point was recovered",
                false => "**missing**: the recovery lacks writes made before its recovery point",
                null => $"not read ({V(data["state"])})",
            };
            md.AppendLine(CultureInfo.InvariantCulture, $"Token written on {V(data["server"])} ({V(data["endpoint"])}) at {V(data["written_at"])}: {verdict}.");
            if (data["newest_at"] is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"Newest token on the recovered {V(data["server"])}: written {V(data["newest_at"])} ({V(data["tokens"])} tokens in all).");
            if (data["error"] is not null) md.AppendLine(CultureInfo.InvariantCulture, $"Error: {V(data["error"])}");
        }
        if (report["failures"]!.AsArray().Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Failures");
            md.AppendLine();
            foreach (var f in report["failures"]!.AsArray())
                md.AppendLine(CultureInfo.InvariantCulture, $"- step {V(f!["step"])} {V(f["kind"])} {V(f["name"] ?? f["target"])}: {V(f["error"])}");
        }
        if (report["left_behind"] is JsonObject left)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Left behind at {V(left["site"])}");
            md.AppendLine();
            md.AppendLine("The workload's former copies, kept for the operator to delete once they are no longer wanted. Servers are stopped so they cannot write next to the recovered ones.");
            md.AppendLine();
            foreach (var server in left["servers"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- server {V(server!["name"])} ({V(server["server_id"])}): was {V(server["was"])}{(server["stopped"]?.GetValue<bool>() == true ? ", stopped now" : "")}");
            foreach (var volume in left["volumes"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- volume {V(volume!["name"])} ({V(volume["volume_id"])}): {V(volume["status"])}");
        }
        if (report["fencing"] is JsonObject fencing)
        {
            md.AppendLine();
            md.AppendLine("## Fencing of the primary");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Primary fenced: **{(fencing["fenced"]?.GetValue<bool>() == true ? "yes" : "no")}**{(fencing["reason"] is { } why ? $" ({V(why)})" : "")}");
            md.AppendLine();
            foreach (var server in fencing["servers"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- server {V(server!["name"])} ({V(server["server_id"])}): {V(server["detail"])}");
            foreach (var group in fencing["groups"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- group {V(group!["group"])}: {V(group["detail"])}");
        }
        if (report["primary_restart"] is JsonObject restarted)
        {
            md.AppendLine();
            md.AppendLine("## The primary after the run");
            md.AppendLine();
            md.AppendLine(V(restarted["reason"]));
            foreach (var group in restarted["groups"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- replication source given back: {V(group!["group"])}: {V(group["detail"])}");
            foreach (var server in restarted["restarted"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- started again: {V(server!["name"])} ({V(server["server_id"])})");
            foreach (var (what, items) in restarted["recovery_site"]?.AsObject() ?? [])
                foreach (var item in items?.AsArray() ?? [])
                    md.AppendLine(CultureInfo.InvariantCulture, $"- removed at the recovery site ({what.Replace('_', ' ')}): {V(item)}");
        }
        if (report["cleanup"] is JsonObject cleanup)
        {
            md.AppendLine();
            md.AppendLine("## Cleanup proof");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Recovery site as before the drill: **{(cleanup["clean"]?.GetValue<bool>() == true ? "yes" : "no")}**");
            md.AppendLine();
            foreach (var (what, items) in cleanup["removed"]?.AsObject() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- removed {what}: {items!.AsArray().Count}");
            foreach (var d in cleanup["differences"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- difference: {V(d)}");
        }
        return md.ToString();
    }

    /// <summary>Text safe inside a Markdown table cell: one line, pipes escaped.</summary>
    private static string Cell(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}
