namespace Draas.Benchmarks.Harness;

/// <summary>What some work cost the service: wall time, its process's CPU time, and its database's
/// transactions, less what the idle service (Hangfire's polling, recurring jobs) does in that time anyway.</summary>
public sealed record Cost(double WallSeconds, double CpuSeconds, long Transactions, double NetTransactions)
{
    /// <summary>The idle service's transactions per second, over <paramref name="window"/>.</summary>
    public static async Task<double> IdleRateAsync(BenchLab bench, TimeSpan window)
    {
        await BenchDatabase.SettleAsync().ConfigureAwait(false);
        var x0 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        await Task.Delay(window).ConfigureAwait(false);
        var x1 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        return (x1 - x0) / window.TotalSeconds;
    }

    /// <summary>Runs <paramref name="work"/> between two settled readings of the counters.</summary>
    public static async Task<(T Result, Cost Cost)> MeasureAsync<T>(BenchLab bench, double idleRate, Func<Task<T>> work)
    {
        await BenchDatabase.SettleAsync().ConfigureAwait(false);
        var x0 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        var cpu0 = bench.Service.CpuTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await work().ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = (bench.Service.CpuTime - cpu0).TotalSeconds;
        await BenchDatabase.SettleAsync().ConfigureAwait(false);
        var x1 = await bench.Database.TransactionsAsync().ConfigureAwait(false);
        var counted = clock.Elapsed.TotalSeconds;
        return (result, new Cost(wall, cpu, x1 - x0, (x1 - x0) - idleRate * counted));
    }
}
