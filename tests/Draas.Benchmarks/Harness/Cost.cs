namespace Draas.Benchmarks.Harness;

/// <summary>What the idle service does per second anyway (Hangfire's polling, recurring jobs, the wait poller).</summary>
public sealed record IdleRate(double TransactionsPerSecond, double CpuPerSecond);

/// <summary>What some work cost the service: wall time, its processes' CPU time, and its database's
/// transactions, raw and less what the idle service does in that time anyway.</summary>
public sealed record Cost(double WallSeconds, double CpuSeconds, long Transactions, double NetTransactions, double NetCpuSeconds)
{
    /// <summary>The idle service's transactions and CPU seconds per second, over <paramref name="window"/>.</summary>
    public static async Task<IdleRate> IdleRateAsync(BenchLab bench, TimeSpan window)
    {
        await BenchQueries.SettleAsync().ConfigureAwait(false);
        var x0 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        var cpu0 = bench.CpuTime;
        await Task.Delay(window).ConfigureAwait(false);
        var x1 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        return new IdleRate((x1 - x0) / window.TotalSeconds, (bench.CpuTime - cpu0).TotalSeconds / window.TotalSeconds);
    }

    /// <summary>Runs <paramref name="work"/> between two settled readings of the counters.</summary>
    public static async Task<(T Result, Cost Cost)> MeasureAsync<T>(BenchLab bench, IdleRate idle, Func<Task<T>> work)
    {
        await BenchQueries.SettleAsync().ConfigureAwait(false);
        var x0 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        var cpu0 = bench.CpuTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await work().ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = (bench.CpuTime - cpu0).TotalSeconds;
        await BenchQueries.SettleAsync().ConfigureAwait(false);
        var x1 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        var counted = clock.Elapsed.TotalSeconds;
        return (result, new Cost(wall, cpu, x1 - x0, (x1 - x0) - idle.TransactionsPerSecond * counted, cpu - idle.CpuPerSecond * wall));
    }
}
