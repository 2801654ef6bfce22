using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 3: what the service spends per step of the runs benchmarks 1 and 2 measured: its own CPU time
/// (the service process's utime + stime) and its database's transactions (pg_stat_database xact_commit +
/// xact_rollback), raw and net of what the idle service does in the same time.
/// </summary>
public static class OrchestrationOverhead
{
    public static void Report(Section section, IdleRate idle, IEnumerable<(string Label, int Steps, Cost Cost)> measured)
    {
        section.Size = "the runs of benchmarks 1 and 2";
        section.Add("idle service: database transactions", idle.TransactionsPerSecond, "xact/s", "Hangfire polling, recurring jobs and the wait poller with nothing to do");
        section.Add("idle service: CPU", idle.CpuPerSecond * 1000, "ms/s");
        foreach (var (label, steps, cost) in measured)
        {
            if (steps == 0) continue;
            section.Add($"{label}: service CPU per step", cost.CpuSeconds * 1000 / steps, "ms", $"{cost.CpuSeconds:0.##} s CPU over {steps} steps in {cost.WallSeconds:0.#} s");
            section.Add($"{label}: service CPU per step, net of idle", cost.NetCpuSeconds * 1000 / steps, "ms");
            section.Add($"{label}: database transactions per step", (double)cost.Transactions / steps, "xact", "raw, includes idle polling during the run");
            section.Add($"{label}: database transactions per step, net of idle", cost.NetTransactions / steps, "xact");
        }
        section.Notes.Add("A database round trip is counted as one transaction in pg_stat_database (xact_commit + xact_rollback): each autocommit statement is one, an explicit transaction is one however many statements it runs. The harness follows runs in the database, not through the API; benchmark 2's biggest wave also serves benchmark 5's API reads, which are in its CPU.");
    }
}
