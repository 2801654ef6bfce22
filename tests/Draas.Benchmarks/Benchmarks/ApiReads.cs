using System.Diagnostics;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 5 (its second half; the first, reads during benchmark 2's wave, is measured there): with the big
/// tenant's volumes protected, read the API at a fixed request rate (open loop) and take p50/p99; then the
/// service process's peak RSS (VmHWM) over its whole life, capture and protection of those volumes included.
/// </summary>
public static class ApiReads
{
    public static async Task RunAsync(BenchLab bench, BenchOptions options, BenchTenant tenant, Section section)
    {
        section.Size = $"{options.ApiRate} requests/s for {options.ApiDuration.TotalSeconds:0} s; {options.CaptureResources} volumes in one plan";
        var protect = Stopwatch.StartNew();
        string protectedNote;
        try
        {
            await bench.Api.ProtectAsync(tenant.Plan, TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            protectedNote = $"the plan's {options.CaptureResources} volumes were protected (status 'protected' {protect.Elapsed.TotalSeconds:0} s after a second capture request; the first, benchmark 4's, had protected them already or was doing so)";
        }
        catch (TimeoutException e)
        {
            protectedNote = $"the plan did not reach 'protected' ({e.Message}); the reads below ran anyway";
        }
        section.Notes.Add(protectedNote);
        string[] paths =
        [
            $"/v1/plans/{tenant.Plan}",
            $"/v1/plans/{tenant.Plan}/status",
            $"/v1/protections/{tenant.Protection}",
            "/v1/plans?limit=50",
        ];
        var reads = await OpenLoopReads.RunAsync(bench.Api, paths, options.ApiRate, options.ApiDuration).ConfigureAwait(false);
        section.Add("p50 read latency", reads.P50, "ms");
        section.Add("p99 read latency", reads.P99, "ms");
        section.Add("max read latency", reads.Max, "ms");
        section.Add("requests", reads.Requests, "requests", $"{reads.Errors} not 200; paths: {string.Join(", ", paths.Select(p => p.Replace(tenant.Plan, "{plan}", StringComparison.Ordinal).Replace(tenant.Protection, "{protection}", StringComparison.Ordinal)))}");
        section.Add("service peak RSS (MiB)", bench.Service.PeakRssBytes / 1048576.0, "MiB", $"VmHWM over the service's life, {options.CaptureResources} volumes protected; target at most 300");
    }
}
