using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace Draas.Api.WebConsole.Pages;

/// <summary>One plan: members, manifests and drift, replication groups, drill history with its RTO trend, dry run and drill.</summary>
public sealed class PlanModel : ConsolePageModel
{
    public JsonNode Plan { get; private set; } = null!;
    public JsonNode? Status { get; private set; }
    public JsonNode? Protection { get; private set; }
    public JsonArray Manifests { get; private set; } = [];
    public JsonNode? LatestManifest { get; private set; }
    public JsonNode? Drift { get; private set; }
    public JsonArray Runs { get; private set; } = [];

    /// <summary>The dry run's step plan, when the person asked for one.</summary>
    public JsonNode? DryRun { get; private set; }

    public string ProjectId => Plan["project_id"]!.ToString();

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ?? Page();

    /// <summary>A dry run: the API answers with the exact steps a drill would take, and stores nothing.</summary>
    public async Task<IActionResult> OnPostDryRunAsync(string id)
    {
        var answer = await PostAsync("v1/runs", new JsonObject { ["run"] = new JsonObject { ["plan_id"] = id, ["kind"] = "drill", ["dry_run"] = true } });
        if (!answer.Ok) return Refused(answer);
        DryRun = answer.Body!["run"];
        return await LoadAsync(id) ?? Page();
    }

    public async Task<IActionResult> OnPostDrillAsync(string id)
    {
        var answer = await PostAsync("v1/runs", new JsonObject { ["run"] = new JsonObject { ["plan_id"] = id, ["kind"] = "drill" } });
        if (!answer.Ok) return Refused(answer);
        return Redirect($"{ConsoleSetup.Path}/runs/{answer.Body!["run"]!["id"]}");
    }

    /// <summary>The protection's runbook (Markdown) as a download.</summary>
    public async Task<IActionResult> OnGetRunbookAsync(string id)
    {
        var plan = await GetAsync($"v1/plans/{Uri.EscapeDataString(id)}");
        if (!plan.Ok) return Refused(plan);
        var protectionId = plan.Body!["plan"]!["protection_id"]!.ToString();
        var runbook = await GetAsync($"v1/protections/{protectionId}/runbook", "text/markdown");
        if (!runbook.Ok) return Refused(runbook);
        return File(Encoding.UTF8.GetBytes(runbook.Text ?? ""), "text/markdown; charset=utf-8", $"runbook-{protectionId}.md");
    }

    private async Task<IActionResult?> LoadAsync(string id)
    {
        var path = $"v1/plans/{Uri.EscapeDataString(id)}";
        var plan = await GetAsync(path);
        if (!plan.Ok) return Refused(plan);
        Plan = plan.Body!["plan"]!;
        // The last day's lag history comes with the status, for the lag-over-time chart.
        var status = await GetAsync(path + "/status?history=24");
        if (status.Ok) Status = status.Body!["status"];
        var protection = await GetAsync($"v1/protections/{Plan["protection_id"]}");
        if (protection.Ok) Protection = protection.Body!["protection"];
        var manifests = await GetAsync(path + "/manifests");
        if (manifests.Ok) Manifests = manifests.Body!["manifests"]!.AsArray();
        if (Manifests.Count > 0)
        {
            var latest = Manifests[0]!["sequence"]!.GetValue<int>();
            var content = await GetAsync($"{path}/manifests/{latest}");
            if (content.Ok) LatestManifest = content.Body!["manifest"];
            if (Manifests.Count > 1)
            {
                var diff = await GetAsync($"{path}/manifests/{latest}?diff={Manifests[1]!["sequence"]}");
                if (diff.Ok) Drift = diff.Body!["diff"];
            }
        }
        var runs = await GetAsync($"v1/runs?plan_id={Uri.EscapeDataString(id)}&limit=20");
        if (runs.Ok) Runs = runs.Body!["runs"]!.AsArray();
        return null;
    }

    /// <summary>The members as the newest manifest names them (id and name), per kind.</summary>
    public IEnumerable<(string Kind, List<(string Id, string Name)> Items)> Members()
    {
        var content = LatestManifest?["content"];
        foreach (var kind in new[] { "servers", "volumes", "images" })
        {
            var items = content?[kind] as JsonArray;
            yield return (kind, items?.OfType<JsonNode>().Select(i => (ConsoleFormat.Str(i["id"]) ?? "?", ConsoleFormat.Str(i["name"]) ?? "")).ToList() ?? []);
        }
    }

    /// <summary>Steps by depth in the dependency graph: each column runs after the one before it.</summary>
    public static List<List<JsonNode>> Layers(JsonNode run)
    {
        var steps = run["steps"]!.AsArray().OfType<JsonNode>().ToList();
        var bySeq = steps.ToDictionary(s => s["sequence"]!.GetValue<int>());
        var depth = new Dictionary<int, int>();
        int Depth(int seq, int guard = 0)
        {
            if (depth.TryGetValue(seq, out var d)) return d;
            var deps = bySeq.TryGetValue(seq, out var s) ? s["depends_on"]?.AsArray().Select(x => x!.GetValue<int>()).Where(bySeq.ContainsKey).ToList() ?? [] : [];
            d = deps.Count == 0 || guard > bySeq.Count ? 0 : deps.Max(x => Depth(x, guard + 1)) + 1;
            return depth[seq] = d;
        }
        return [.. steps.GroupBy(s => Depth(s["sequence"]!.GetValue<int>())).OrderBy(g => g.Key).Select(g => g.ToList())];
    }
}
