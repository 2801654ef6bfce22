using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Benchmarks.Results;

/// <summary>Writes results.json and results.md (the same figures, each with its unit, under the latency
/// model and settings they were measured with).</summary>
public static class ResultsWriter
{
    private static string F(double? v) => v switch
    {
        null => "–",
        double d when double.IsNaN(d) => "n/a",
        double d when Math.Abs(d) >= 100 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static JsonObject Json(BenchReport report, IReadOnlyDictionary<string, string> service) => new()
    {
        ["generated_at"] = report.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["total_seconds"] = Math.Round(report.TotalSeconds, 1),
        ["quick"] = report.Options.Quick,
        ["machine"] = new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        },
        ["latency_model"] = JsonSerializer.SerializeToNode(report.Model.Describe()),
        ["step_minimums"] = LatencyModel.StepFormulas,
        ["bound_formula"] = CloudBound.Formula,
        ["targets"] = Targets.Json(report),
        ["service_settings"] = JsonSerializer.SerializeToNode(service),
        ["benchmarks"] = new JsonArray([.. report.Sections.OrderBy(s => s.Id).Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id,
            ["title"] = s.Title,
            ["size"] = s.Size,
            ["seconds"] = Math.Round(s.Seconds, 1),
            ["error"] = s.Error,
            ["figures"] = new JsonArray([.. s.Figures.Select(f => (JsonNode)new JsonObject
            {
                ["name"] = f.Name,
                ["value"] = f.Value is { } v && !double.IsNaN(v) ? Math.Round(v, 4) : null,
                ["unit"] = f.Unit,
                ["note"] = f.Note,
            })]),
            ["notes"] = new JsonArray([.. s.Notes.Select(n => (JsonNode)n)]),
        })]),
        ["scaling"] = new JsonArray([.. report.Scaling.Select(p => (JsonNode)new JsonObject
        {
            ["tenants"] = p.Tenants,
            ["steps"] = p.Steps,
            ["total_seconds"] = Math.Round(p.TotalSeconds, 3),
            ["cloud_bound_seconds"] = Math.Round(p.BoundSeconds, 3),
            ["ratio"] = Math.Round(p.Ratio, 3),
        })]),
    };

    public static string Markdown(BenchReport report, IReadOnlyDictionary<string, string> service)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# DRaaS benchmarks, {report.StartedAt:yyyy-MM-dd HH:mm} UTC{(report.Options.Quick ? " (quick sizes)" : "")}");
        md.AppendLine();
        var settings = string.Join(", ", service.Select(p => $"`{p.Key}={p.Value}`"));
        md.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; the whole run took {report.TotalSeconds:0} s. Simulated clouds on loopback at 1x (real time); the service as its own process with {settings} (everything else as in etc/draas/draas.conf).");
        md.AppendLine();
        md.AppendLine("Against issue #18's targets (numbers never fail the run):");
        md.AppendLine();
        md.Append(Targets.Markdown(report));
        md.AppendLine();
        md.AppendLine("| # | benchmark | size that ran | figure | value | unit | note |");
        md.AppendLine("| --- | --- | --- | --- | ---: | --- | --- |");
        foreach (var s in report.Sections.OrderBy(s => s.Id))
        {
            if (s.Error is not null)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Id} | {s.Title} | {s.Size} | did not complete | – | | {Cell(s.Error)} |");
                continue;
            }
            var first = true;
            foreach (var f in s.Figures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {(first ? s.Id.ToString(CultureInfo.InvariantCulture) : "")} | {(first ? s.Title : "")} | {(first ? s.Size : "")} | {f.Name} | {F(f.Value)} | {f.Unit} | {Cell(f.Note)} |");
                first = false;
            }
        }
        md.AppendLine();
        md.AppendLine("Cloud model (real time, what the simulators were told and the cloud bound is computed from; the recovery site's and array's limits in the service are set to the clouds'):");
        md.AppendLine();
        md.AppendLine("| parameter | value |");
        md.AppendLine("| --- | --- |");
        foreach (var (k, v) in report.Model.Describe()) md.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {(v is double d ? F(d) : v)} |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Cloud bound: {CloudBound.Formula}. Step minimums: {LatencyModel.StepFormulas}. A ratio of 1 would be a perfect orchestrator; what is above it is the service's own cost (job pickup, status polling, bookkeeping).");
        foreach (var s in report.Sections.OrderBy(s => s.Id).Where(s => s.Notes.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Notes on {s.Id} ({s.Title}):");
            foreach (var n in s.Notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {n}");
        }
        return md.ToString();
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
