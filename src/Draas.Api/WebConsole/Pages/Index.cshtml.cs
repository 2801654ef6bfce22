using System.Text.Json.Nodes;
using Cronos;
using Microsoft.AspNetCore.Mvc;

namespace Draas.Api.WebConsole.Pages;

/// <summary>The estate: every protection and plan the person may see (all of them for a cloud admin), with RPO compliance and drills.</summary>
public sealed class EstateModel : ConsolePageModel
{
    /// <summary>A drill older than this with no schedule of its own is overdue.</summary>
    public static readonly TimeSpan DefaultDrillInterval = TimeSpan.FromDays(30);

    public sealed record Row(string PlanId, string Plan, string ProtectionId, string Protection, string ProjectId, string State, string? Health,
        double? LagSeconds, double TargetSeconds, RpoTier Tier, string? LastDrillState, DateTimeOffset? LastDrillAt, string? LastDrillRun, bool DrillOverdue, JsonNode? RunGoing);

    public List<Row> Rows { get; } = [];
    public List<Row> AllRows { get; } = [];
    public List<(string Id, string Name)> Protections { get; } = [];
    public JsonArray? Sites { get; private set; }
    public JsonArray? Arrays { get; private set; }
    public List<JsonNode> RunsGoing { get; } = [];
    public Dictionary<string, DateTimeOffset?> ArrayChecked { get; } = [];

    [BindProperty(SupportsGet = true)] public string? Protection { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var protections = await GetAsync("v1/protections?limit=1000");
        if (!protections.Ok) return Refused(protections);
        var plans = await GetAsync("v1/plans?limit=1000");
        if (!plans.Ok) return Refused(plans);
        var byId = protections.Body!["protections"]!.AsArray().ToDictionary(p => p!["id"]!.ToString(), p => p!);
        foreach (var p in byId.Values.OrderBy(p => p["name"]!.ToString())) Protections.Add((p["id"]!.ToString(), p["name"]!.ToString()));
        foreach (var state in new[] { "pending", "running", "cancelling" })
        {
            var runs = await GetAsync($"v1/runs?state={state}&limit=1000");
            if (runs.Ok) RunsGoing.AddRange(runs.Body!["runs"]!.AsArray().OfType<JsonNode>());
        }
        var checkedAt = new Dictionary<string, DateTimeOffset?>();
        foreach (var plan in plans.Body!["plans"]!.AsArray().OfType<JsonNode>())
        {
            var id = plan["id"]!.ToString();
            var protection = byId.GetValueOrDefault(plan["protection_id"]!.ToString());
            var status = await GetAsync($"v1/plans/{id}/status");
            var s = status.Ok ? status.Body!["status"] : null;
            var target = ConsoleFormat.Num(s?["rpo_target_seconds"]) ?? ConsoleFormat.Num(protection?["rpo_target_seconds"]) ?? 0;
            var lag = ConsoleFormat.Num(s?["lag_seconds"]);
            var lastDrill = s?["drills"]?.AsArray().FirstOrDefault();
            var lastDrillAt = ConsoleFormat.At(lastDrill?["finished_at"]);
            var groups = s?["groups"]?.AsArray().OfType<JsonNode>().ToList() ?? [];
            foreach (var g in groups)
                foreach (var array in new[] { ConsoleFormat.Str(g["source_array"]), ConsoleFormat.Str(g["target_array"]) })
                    if (array is not null && ConsoleFormat.At(g["checked_at"]) is { } at && (!ArrayChecked.TryGetValue(array, out var seen) || seen < at)) ArrayChecked[array] = at;
            var health = groups.Count == 0 ? null : groups.Select(g => ConsoleFormat.Str(g["health"])).Distinct().Aggregate((a, b) => $"{a}, {b}");
            AllRows.Add(new Row(id, plan["name"]!.ToString(), plan["protection_id"]!.ToString(), protection?["name"]?.ToString() ?? "?", plan["project_id"]!.ToString(),
                ConsoleFormat.Str(s?["state"]) ?? ConsoleFormat.Str(plan["status"]) ?? "?", health, lag, target, ConsoleFormat.Tier(lag, target),
                ConsoleFormat.Str(lastDrill?["state"]), lastDrillAt, ConsoleFormat.Str(lastDrill?["run_id"]),
                DrillOverdue(ConsoleFormat.Str(protection?["drill_schedule"]), lastDrillAt),
                RunsGoing.FirstOrDefault(r => r["plan_id"]?.ToString() == id)));
        }
        Rows.AddRange(AllRows.Where(Matches).OrderByDescending(r => r.Tier).ThenBy(r => r.Protection).ThenBy(r => r.Plan));
        // Sites and arrays are the cloud admin's: a tenant's token is refused, and then the section is left out.
        var sites = await GetAsync("v1/sites?limit=1000");
        if (sites.Ok) Sites = sites.Body!["sites"]!.AsArray();
        var arrays = await GetAsync("v1/arrays?limit=1000");
        if (arrays.Ok) Arrays = arrays.Body!["arrays"]!.AsArray();
        return Page();
    }

    public string SiteName(string? id) => Sites?.FirstOrDefault(s => s?["id"]?.ToString() == id)?["name"]?.ToString() ?? id ?? "–";

    private bool Matches(Row r) =>
        (string.IsNullOrEmpty(Protection) || r.ProtectionId == Protection)
        && (string.IsNullOrEmpty(Tier) || (Tier == "at_risk" ? r.Tier != RpoTier.Within || r.DrillOverdue : r.Tier.ToString().Equals(Tier, StringComparison.OrdinalIgnoreCase)))
        && (string.IsNullOrWhiteSpace(Q) || $"{r.Plan} {r.Protection} {r.ProjectId}".Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Overdue: the schedule's next drill after the last one is past (or no drill for <see cref="DefaultDrillInterval"/>).</summary>
    private bool DrillOverdue(string? schedule, DateTimeOffset? lastDrill)
    {
        if (lastDrill is null) return true;
        if (schedule is not null && CronExpression.TryParse(schedule, out var cron))
            return cron.GetNextOccurrence(lastDrill.Value.UtcDateTime) is { } next && next < Now.UtcDateTime;
        return Now - lastDrill.Value > DefaultDrillInterval;
    }
}
