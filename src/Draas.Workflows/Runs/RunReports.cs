using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Runs;
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
        var service = ordered.Where(s => s.Kind is not (RunPlanner.Cleanup or RunPlanner.Reprotect or RunPlanner.RestartPrimary) && s.FinishedAt is not null).ToList();
        var restoredAt = service.Count == 0 ? null : service.Max(s => s.FinishedAt);
        var points = ordered.Where(s => s.Kind == RunPlanner.PromoteVolume && s.State == StepState.Succeeded)
            .Select(s => Out(s)["recovery_point"]?["time"]?.GetValue<DateTimeOffset>()).OfType<DateTimeOffset>().ToList();
        DateTimeOffset? pointAt = points.Count > 0 ? points.Min() : run.RecoveryPointAt;
        var cleanup = ordered.FirstOrDefault(s => s.Kind == RunPlanner.Cleanup);
        var reprotect = ordered.FirstOrDefault(s => s.Kind == RunPlanner.Reprotect && s.State == StepState.Succeeded);
        var fence = ordered.FirstOrDefault(s => s.Kind == RunPlanner.FencePrimary);
        var restart = ordered.FirstOrDefault(s => s.Kind == RunPlanner.RestartPrimary && s.State is StepState.Succeeded or StepState.Failed);
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
            // A point taken after the run started lost nothing the run could have had: 0, not negative.
            ["rpo_seconds"] = run.StartedAt is { } s2 && pointAt is { } p ? Math.Max(0, Math.Round((s2 - p).TotalSeconds, 3)) : null,
            ["phases"] = new JsonArray([.. ordered.GroupBy(x => x.Phase).OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
            {
                ["phase"] = g.Key,
                ["steps"] = g.Count(),
                ["seconds"] = g.Any(x => x.StartedAt is null) || g.Any(x => x.FinishedAt is null) ? null
                    : Math.Round((g.Max(x => x.FinishedAt)!.Value - g.Min(x => x.StartedAt)!.Value).TotalSeconds, 3),
            })]),
            ["steps"] = new JsonArray([.. ordered.Select(x => (JsonNode)StepView(x))]),
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
                ["state"] = RunPlanner.Word(x.State),
                ["attempts"] = Out(x)["attempts"]?.DeepClone(),
            })]),
            ["network"] = NetworkPlanning.Report(ordered),
            ["cleanup"] = cleanup is null ? null : Out(cleanup),
            ["resumes"] = run.Resumes,
            // A failover says whether the primary was fenced (no split brain), and if not, why.
            ["fencing"] = run.Kind != RunKind.Failover ? null
                : fence is null ? new JsonObject { ["fenced"] = false, ["reason"] = "not fenced on request (fence_primary: false): the primary's servers were left as they were" }
                : fence.State == StepState.Succeeded ? Out(fence)
                : new JsonObject { ["fenced"] = false, ["reason"] = $"the fencing step {RunPlanner.Word(fence.State)}{(fence.Error is null ? "" : $": {fence.Error}")}" },
            // A cancelled migration says whether the primary's servers were started again.
            ["primary_restart"] = restart is null ? null : Out(restart),
            // The originals at the site the workload left: stopped, kept, the operator's to delete.
            ["left_behind"] = reprotect is null ? null : Out(reprotect)["stale"]?.DeepClone(),
            ["failures"] = new JsonArray([.. ordered.Where(x => x.State == StepState.Failed).Select(x => (JsonNode)new JsonObject
            {
                ["step"] = x.Sequence,
                ["kind"] = x.Kind,
                ["target"] = x.Target,
                ["error"] = x.Error,
            })]),
            ["error"] = run.Error,
        };
    }

    public static JsonObject StepView(Step s) => new()
    {
        ["sequence"] = s.Sequence,
        ["phase"] = s.Phase,
        ["kind"] = s.Kind,
        ["target"] = s.Target,
        ["state"] = RunPlanner.Word(s.State),
        ["attempts"] = s.Attempts,
        ["started_at"] = s.StartedAt,
        ["finished_at"] = s.FinishedAt,
        ["duration_seconds"] = s.StartedAt is { } a && s.FinishedAt is { } b ? Math.Round((b - a).TotalSeconds, 3) : null,
        ["error"] = s.Error,
    };

    /// <summary>The report for people: what an auditor or the tenant reads after a drill.</summary>
    public static string Markdown(JsonObject report)
    {
        var md = new StringBuilder();
        string V(JsonNode? n) => n switch
        {
            null => "–",
            JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.###", CultureInfo.InvariantCulture),
            _ => n.ToString(),
        };
        md.AppendLine(CultureInfo.InvariantCulture, $"# DR {V(report["kind"])} report: {V(report["protection"]?["name"])} / {V(report["plan"]?["name"])}");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("| --- | --- |");
        foreach (var key in new[] { "run_id", "state", "started_at", "finished_at", "rto_seconds", "rpo_seconds", "recovery_point_at", "duration_seconds", "target_project_id" })
            md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {V(report[key])} |");
        if (report["error"] is not null) md.AppendLine(CultureInfo.InvariantCulture, $"| error | {V(report["error"])} |");
        md.AppendLine();
        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| # | phase | step | target | state | attempts | seconds | error |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var s in report["steps"]!.AsArray())
            md.AppendLine(CultureInfo.InvariantCulture, $"| {V(s!["sequence"])} | {V(s["phase"])} | {V(s["kind"])} | {V(s["target"])} | {V(s["state"])} | {V(s["attempts"])} | {V(s["duration_seconds"])} | {V(s["error"])} |");
        md.AppendLine();
        md.AppendLine("## Recovered");
        md.AppendLine();
        md.AppendLine("| what | name | old id | new id |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var v in report["recovered"]!["volumes"]!.AsArray())
            md.AppendLine(CultureInfo.InvariantCulture, $"| volume | {V(v!["name"])} | {V(v["source_id"])} | {V(v["volume_id"])} |");
        foreach (var s in report["recovered"]!["servers"]!.AsArray())
            md.AppendLine(CultureInfo.InvariantCulture, $"| server | {V(s!["name"])} | {V(s["source_id"])} | {V(s["server_id"])} |");
        if (report["failures"]!.AsArray().Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Failures");
            md.AppendLine();
            foreach (var f in report["failures"]!.AsArray())
                md.AppendLine(CultureInfo.InvariantCulture, $"- step {V(f!["step"])} {V(f["kind"])} {V(f["target"])}: {V(f["error"])}");
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
            foreach (var server in restarted["restarted"]?.AsArray() ?? [])
                md.AppendLine(CultureInfo.InvariantCulture, $"- started again: {V(server!["name"])} ({V(server["server_id"])})");
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
}
