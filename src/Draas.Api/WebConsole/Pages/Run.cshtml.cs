using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Draas.Api.WebConsole.Pages;

/// <summary>One run: live progress, the steps as a timeline by phase, errors in place, cancel, resume, approve,
/// commit or roll back where the run and the caller's rules allow it, the report.</summary>
public sealed class RunModel : ConsolePageModel
{
    // The report comes from the service, but names in it come from tenants: no raw HTML passes through.
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public JsonNode Run { get; private set; } = null!;
    public string? PlanName { get; private set; }
    public IHtmlContent? Report { get; private set; }

    public string State => Run["state"]!.ToString();
    public bool Final => State is "succeeded" or "failed" or "cancelled" or "rolled_back";
    public string ProjectId => Run["project_id"]!.ToString();

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await LoadAsync(id) is { } refused) return refused;
        if (Final)
        {
            var report = await GetAsync($"v1/runs/{Uri.EscapeDataString(id)}/report", "text/markdown");
            if (report.Ok) Report = new HtmlString(Markdig.Markdown.ToHtml(report.Text ?? "", Markdown));
        }
        var plan = await GetAsync($"v1/plans/{Run["plan_id"]}");
        if (plan.Ok) PlanName = plan.Body!["plan"]!["name"]!.ToString();
        return Page();
    }

    /// <summary>The live section alone, for the page's script to swap in while the run goes.</summary>
    public async Task<IActionResult> OnGetLiveAsync(string id) => await LoadAsync(id) ?? Partial("_RunLive", this);

    public async Task<IActionResult> OnGetReportAsync(string id)
    {
        var report = await GetAsync($"v1/runs/{Uri.EscapeDataString(id)}/report", "text/markdown");
        if (!report.Ok) return Refused(report);
        return File(Encoding.UTF8.GetBytes(report.Text ?? ""), "text/markdown; charset=utf-8", $"run-{id}.md");
    }

    public Task<IActionResult> OnPostCancelAsync(string id) => ActAsync(id, "cancel");

    public Task<IActionResult> OnPostResumeAsync(string id) => ActAsync(id, "resume");

    public Task<IActionResult> OnPostApproveAsync(string id) => ActAsync(id, "approve");

    public Task<IActionResult> OnPostCommitAsync(string id) => ActAsync(id, "commit");

    public Task<IActionResult> OnPostRollbackAsync(string id) => ActAsync(id, "rollback");

    private async Task<IActionResult> ActAsync(string id, string action)
    {
        var answer = await PostAsync($"v1/runs/{Uri.EscapeDataString(id)}/action", new JsonObject { [action] = new JsonObject() });
        if (!answer.Ok) return Refused(answer);
        return Redirect($"{ConsoleSetup.Path}/runs/{id}");
    }

    private async Task<IActionResult?> LoadAsync(string id)
    {
        var run = await GetAsync($"v1/runs/{Uri.EscapeDataString(id)}");
        if (!run.Ok) return Refused(run);
        Run = run.Body!["run"]!;
        return null;
    }

    /// <summary>Whether to offer cancel or resume: the API's rules for the action and for the run's kind (a member acts on drills only).</summary>
    public bool Offers(string action) => Offers($"draas:run:{action}", ProjectId) && Offers($"draas:run:create:{Run["kind"]}", ProjectId);

    /// <summary>Whether to offer the approval: the API's rule for approving runs of this kind.</summary>
    public bool OffersApproval() => Offers("draas:run:approve", ProjectId) && Offers($"draas:run:approve:{Run["kind"]}", ProjectId);

    /// <summary>Whether to offer a commit or a rollback: the API's rules for deciding runs of this kind.</summary>
    public bool OffersDecision(string action) => Offers($"draas:run:{action}", ProjectId) && Offers($"draas:run:{action}:{Run["kind"]}", ProjectId);

    public sealed record Bar(JsonNode Step, double Left, double Width);

    /// <summary>The steps as a Gantt: each one's start and end as shares of the run's span, grouped by phase in the order phases began.</summary>
    public (DateTimeOffset Start, double Span, List<(string Phase, List<Bar> Bars)> Phases) Timeline()
    {
        var steps = Run["steps"]!.AsArray().OfType<JsonNode>().ToList();
        var starts = steps.Select(s => ConsoleFormat.At(s["started_at"])).OfType<DateTimeOffset>().ToList();
        var start = ConsoleFormat.At(Run["started_at"]) ?? (starts.Count > 0 ? starts.Min() : Now);
        var end = ConsoleFormat.At(Run["finished_at"]) ?? Now;
        var ends = steps.Select(s => ConsoleFormat.At(s["finished_at"])).OfType<DateTimeOffset>().ToList();
        if (ends.Count > 0 && ends.Max() > end) end = ends.Max();
        var span = Math.Max(1, (end - start).TotalSeconds);
        var phases = steps.GroupBy(s => s["phase"]?.ToString() ?? "").Select(g => (g.Key, g.OrderBy(s => s["sequence"]!.GetValue<int>()).Select(s =>
        {
            var a = ConsoleFormat.At(s["started_at"]);
            var b = ConsoleFormat.At(s["finished_at"]) ?? (a is null ? null : end);
            var left = a is null ? 0 : Math.Clamp((a.Value - start).TotalSeconds / span * 100, 0, 100);
            var width = a is null || b is null ? 0 : Math.Clamp((b.Value - a.Value).TotalSeconds / span * 100, 0, 100 - left);
            return new Bar(s, left, width);
        }).ToList())).OrderBy(p => p.Item2.Min(b => b.Step["sequence"]!.GetValue<int>())).ToList();
        return (start, span, phases);
    }
}
