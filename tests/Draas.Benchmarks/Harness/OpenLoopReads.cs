using System.Diagnostics;

namespace Draas.Benchmarks.Harness;

/// <summary>
/// Reads the API at a fixed request rate, open loop (a request is sent on schedule whether or not the previous
/// one answered, so a slow service is not let off by a slower reader), until its duration passes or it is
/// stopped; latencies in milliseconds.
/// </summary>
public sealed class OpenLoopReads
{
    private OpenLoopReads(double[] sortedMs, int errors)
    {
        SortedMs = sortedMs;
        Errors = errors;
    }

    public double[] SortedMs { get; }
    public int Errors { get; }
    public int Requests => SortedMs.Length;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double Max => SortedMs.Length == 0 ? double.NaN : SortedMs[^1];

    public static async Task<OpenLoopReads> RunAsync(DraasApi api, IReadOnlyList<string> paths, double rate, TimeSpan duration, CancellationToken stop = default)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var tasks = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration && !stop.IsCancellationRequested; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
            {
                try { await Task.Delay(due - clock.Elapsed, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
            var path = paths[i % paths.Count];
            tasks.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.StartNew();
                var (status, _) = await api.SendAsync(HttpMethod.Get, path).ConfigureAwait(false);
                latencies.Add(sent.Elapsed.TotalMilliseconds);
                if (status != 200) Interlocked.Increment(ref errors);
            }, CancellationToken.None));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new OpenLoopReads(sorted, errors);
    }

    private double Percentile(double p) => SortedMs.Length == 0 ? double.NaN
        : SortedMs[Math.Clamp((int)Math.Ceiling(p * SortedMs.Length) - 1, 0, SortedMs.Length - 1)];
}
