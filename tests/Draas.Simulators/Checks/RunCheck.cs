using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Draas.Simulators.Checks;

/// <summary>
/// What the demo proves about a finished run, from its JSON report and from the lab's side: the run
/// succeeded with every health check, its clocks agreed (no warnings, so RTO and RPO are true), a drill
/// left the recovery site clean, and (for a migration) every write on a primary volume is on its
/// recovered copy, read from the FlashArray simulator's write logs (<c>GET /sim/arrays/{a}/volumes/{v}/writes</c>);
/// a run with a data canary found its token on the recovered server.
/// </summary>
public static class RunCheck
{
    /// <summary>One finding per line for people, and whether the run passes.</summary>
    public sealed record Result(IReadOnlyList<string> Lines, bool Passed);

    public static async Task<Result> CheckAsync(JsonObject report, HttpClient http, Uri? flashArrayAdmin, string? writesFrom, string? writesTo, CancellationToken ct)
    {
        report = report["report"] as JsonObject ?? report;
        var lines = new List<string>();
        var ok = true;
        void Fail(string line) { lines.Add(line); ok = false; }

        var state = report["state"]?.ToString();
        if (state != "succeeded") Fail($"the run ended {state ?? "without a state"}: {report["error"]}");
        foreach (var warning in report["warnings"]?.AsArray() ?? []) Fail($"warning: {warning}");
        foreach (var check in (report["health"]?.AsArray() ?? []).OfType<JsonObject>().Where(h => h["state"]?.ToString() != "succeeded"))
            Fail($"health check {check["name"] ?? check["server_id"]} {check["check"]}: {check["state"]}");
        // The data canary (docs/data-canary.md): the token written before the recovery point must be on the recovered server.
        if (report["data_check"] is JsonObject canary)
        {
            if (canary["found"]?.GetValue<bool>() == true)
                lines.Add($"data canary: the token written on {canary["server"]} at {canary["written_at"]} is on the recovered {canary["server"]}");
            else
                Fail($"data canary: the token written on {canary["server"]} at {canary["written_at"]} was not found on the recovered server ({canary["state"]}{(canary["error"] is { } e ? $": {e}" : "")})");
        }
        if (report["cleanup"] is JsonObject cleanup && cleanup["clean"]?.GetValue<bool>() != true)
            Fail($"the drill left the recovery site changed: {cleanup["differences"]?.ToJsonString()}");

        if (flashArrayAdmin is not null && writesFrom is not null && writesTo is not null)
        {
            var lost = 0;
            var total = 0;
            foreach (var volume in (report["recovered"]?["volumes"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var source = volume["source_id"]!.ToString();
                var copy = volume["volume_id"]!.ToString();
                var before = await WritesAsync(http, flashArrayAdmin, writesFrom, source, ct).ConfigureAwait(false);
                var after = await WritesAsync(http, flashArrayAdmin, writesTo, copy, ct).ConfigureAwait(false);
                var missing = before.Where(w => !after.Contains(w)).ToList();
                total += before.Count;
                lost += missing.Count;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{volume["name"] ?? source}: {before.Count} writes on the primary, {after.Count} on the recovered copy{(missing.Count > 0 ? $", missing {string.Join(", ", missing)}" : "")}"));
            }
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{lost} writes lost (of {total})"));
            ok &= lost == 0;
        }
        if (ok) lines.Add($"{report["kind"]} {report["run_id"]}: succeeded, checks passed");
        return new Result(lines, ok);
    }

    /// <summary>The data of every write on Cinder volume <paramref name="volumeId"/> as array <paramref name="array"/> holds it.</summary>
    private static async Task<List<string>> WritesAsync(HttpClient http, Uri admin, string array, string volumeId, CancellationToken ct)
    {
        var url = new Uri(admin, $"arrays/{array}/volumes/volume-{volumeId}-cinder/writes");
        var body = await http.GetFromJsonAsync<JsonObject>(url, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{url} answered nothing");
        var items = (body["items"] ?? body["Items"])?.AsArray() ?? [];
        return [.. items.OfType<JsonObject>().Select(i => (i["data"] ?? i["Data"])?.ToString() ?? "")];
    }

    /// <summary><c>draas-sim check-run --report FILE [--flasharray-admin URL --writes-from ARRAY --writes-to ARRAY]</c>: exit 0 when the run passes.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string? file = null, admin = null, from = null, to = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--report": file = args[i + 1]; break;
                case "--flasharray-admin": admin = args[i + 1]; break;
                case "--writes-from": from = args[i + 1]; break;
                case "--writes-to": to = args[i + 1]; break;
                default: return await UsageAsync().ConfigureAwait(false);
            }
        }
        if (file is null || args.Length % 2 != 0) return await UsageAsync().ConfigureAwait(false);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(file).ConfigureAwait(false)) as JsonObject
            ?? throw new InvalidDataException($"{file} is not a JSON object");
        using var http = new HttpClient();
        var result = await CheckAsync(report, http, admin is null ? null : new Uri(admin.TrimEnd('/') + "/"), from, to, CancellationToken.None).ConfigureAwait(false);
        foreach (var line in result.Lines) Console.WriteLine("  " + line);
        return result.Passed ? 0 : 1;
    }

    private static async Task<int> UsageAsync()
    {
        await Console.Error.WriteLineAsync("usage: draas-sim check-run --report FILE [--flasharray-admin URL --writes-from ARRAY --writes-to ARRAY]").ConfigureAwait(false);
        return 2;
    }
}
