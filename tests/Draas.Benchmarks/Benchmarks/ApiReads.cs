using System.Diagnostics;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 5: with the big tenant's volumes protected, read the API at a fixed request rate (open loop: a
/// request is sent on schedule whether or not the previous one answered) and take p50/p99; then the service
/// process's peak RSS (VmHWM) over its whole life, capture and protection of those volumes included.
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
        var interval = TimeSpan.FromSeconds(1 / options.ApiRate);
        var total = (int)(options.ApiDuration.TotalSeconds * options.ApiRate);
        var latencies = new double[total];
        var errors = 0;
        var tasks = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.StartNew();
                var (status, _) = await bench.Api.SendAsync(HttpMethod.Get, paths[index % paths.Length]).ConfigureAwait(false);
                latencies[index] = sent.Elapsed.TotalMilliseconds;
                if (status != 200) Interlocked.Increment(ref errors);
            }));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        Array.Sort(latencies);
        section.Add("p50 read latency", Percentile(latencies, 0.50), "ms");
        section.Add("p99 read latency", Percentile(latencies, 0.99), "ms");
        section.Add("max read latency", latencies[^1], "ms");
        section.Add("requests", total, "requests", $"{errors} not 200; paths: {string.Join(", ", paths.Select(p => p.Replace(tenant.Plan, "{plan}", StringComparison.Ordinal).Replace(tenant.Protection, "{protection}", StringComparison.Ordinal)))}");
        section.Add("service peak RSS (VmHWM)", bench.Service.PeakRssBytes / 1048576.0, "MiB");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
