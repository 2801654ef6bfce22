using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 4: the first capture of a tenant whose plan selects N volumes by metadata, from the capture
/// request to the manifest being readable, against its pagination bound: Cinder answers at most 1,000
/// volumes a page, so any client needs floor(N / 1000) + 1 list requests (the last one says "no more"),
/// each costing one OpenStack call.
/// </summary>
public static class ManifestCapture
{
    public const int CinderMaxPage = 1000;

    public static async Task<BenchTenant> RunAsync(BenchLab bench, BenchOptions options, LatencyModel model, Section section)
    {
        var n = options.CaptureResources;
        section.Size = $"{n} volumes in one tenant, one plan selecting them by metadata";
        var setup = System.Diagnostics.Stopwatch.StartNew();
        var tenant = (await LabTenants.VolumesAsync(bench, "big", 1, n, selector: true).ConfigureAwait(false)).Single();
        section.Notes.Add($"creating the {n} volumes through Cinder (no latency) took {setup.Elapsed.TotalSeconds:0} s");
        await model.ApplyAsync(bench.Lab).ConfigureAwait(false);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await bench.Api.PostAsync($"/v1/plans/{tenant.Plan}/action", new { capture = new { } }, 202).ConfigureAwait(false);
            System.Text.Json.Nodes.JsonArray list;
            while ((list = (await bench.Api.GetAsync($"/v1/plans/{tenant.Plan}/manifests").ConfigureAwait(false))["manifests"]!.AsArray()).Count == 0)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("no manifest within 10 minutes");
                await Task.Delay(100).ConfigureAwait(false);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var pages = n / CinderMaxPage + 1;
            var bound = pages * model.OpenStackCall.TotalSeconds;
            var manifest = (await bench.Api.GetAsync($"/v1/plans/{tenant.Plan}/manifests/{list[0]!["sequence"]}").ConfigureAwait(false))["manifest"]!;
            var captured = (manifest["content"]?["volumes"] ?? manifest["volumes"])?.AsArray().Count;
            section.Add("capture: request to manifest stored", seconds, "s", "includes the job's pickup (poll interval) and the 100 ms poll of the harness");
            section.Add("pagination bound", bound, "s", $"{pages} pages x {model.OpenStackCall.TotalMilliseconds} ms");
            section.Add("ratio", seconds / bound, "x");
            section.Add("volumes in the manifest", captured, "volumes");
        }
        finally
        {
            await LatencyModel.ClearAsync(bench.Lab).ConfigureAwait(false);
        }
        return tenant;
    }
}
