using System.Globalization;

namespace Draas.Benchmarks;

/// <summary>
/// Sizes and places, from the environment (./tox -e bench sets the places). The full sizes are the issue's;
/// <c>DRAAS_BENCH_QUICK=1</c> runs small ones for a fast pass, and every size can be set on its own. The
/// output always says which sizes actually ran.
/// </summary>
public sealed record BenchOptions
{
    public required string PgAdmin { get; init; }
    public required string ConfigFile { get; init; }
    public required string WorkDir { get; init; }
    public required string ResultsDir { get; init; }
    public bool Quick { get; init; }
    /// <summary>Which benchmarks to run, by id (1..7); default all.</summary>
    public IReadOnlySet<int> Only { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 };
    public int RtoServers { get; init; }
    public int RtoVolumesPerServer => 2;
    public IReadOnlyList<int> TenantSteps { get; init; } = [];
    public int WaveServers { get; init; }
    public int VolumesPerTenant { get; init; }
    /// <summary>API reads per second during benchmark 2's biggest wave (benchmark 5).</summary>
    public double WaveReadRate { get; init; }
    /// <summary>Benchmark 7: worker processes beside one API process, and the tenants of its wave.</summary>
    public int SplitWorkers { get; init; }
    public int SplitTenants { get; init; }
    public int CaptureResources { get; init; }
    public double ApiRate { get; init; }
    public TimeSpan ApiDuration { get; init; }
    public int DispatchJobs { get; init; }

    public static BenchOptions FromEnvironment()
    {
        var quick = Environment.GetEnvironmentVariable("DRAAS_BENCH_QUICK") is "1" or "true";
        int Int(string name, int full, int fast) => int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var v) ? v : quick ? fast : full;
        var steps = Environment.GetEnvironmentVariable("DRAAS_BENCH_TENANTS") is { Length: > 0 } s
            ? s.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToList()
            : quick ? [2, 5, 10] : [10, 50, 100];
        var only = Environment.GetEnvironmentVariable("DRAAS_BENCH_ONLY") is { Length: > 0 } o
            ? o.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToHashSet()
            : [1, 2, 3, 4, 5, 6, 7];
        var root = Environment.GetEnvironmentVariable("DRAAS_BENCH_ROOT") ?? Directory.GetCurrentDirectory();
        return new BenchOptions
        {
            PgAdmin = Environment.GetEnvironmentVariable("DRAAS_BENCH_PG")
                ?? "Host=127.0.0.1;Port=54329;Username=draas;Password=draas-local;Database=postgres",
            ConfigFile = Environment.GetEnvironmentVariable("DRAAS_BENCH_CONFIG") ?? Path.Combine(root, "etc/draas/draas.conf"),
            WorkDir = Environment.GetEnvironmentVariable("DRAAS_BENCH_WORKDIR") ?? Path.Combine(root, ".tox/bench"),
            ResultsDir = Environment.GetEnvironmentVariable("DRAAS_BENCH_RESULTS") ?? Path.Combine(root, "bench/results"),
            Quick = quick,
            Only = only,
            RtoServers = Int("DRAAS_BENCH_RTO_SERVERS", 10, 4),
            TenantSteps = steps,
            WaveServers = Int("DRAAS_BENCH_WAVE_SERVERS", 3, 3),
            VolumesPerTenant = Int("DRAAS_BENCH_VOLUMES_PER_TENANT", 10, 10),
            WaveReadRate = Int("DRAAS_BENCH_WAVE_READ_RATE", 200, 50),
            SplitWorkers = Int("DRAAS_BENCH_SPLIT_WORKERS", 2, 2),
            SplitTenants = Int("DRAAS_BENCH_SPLIT_TENANTS", steps.Max(), steps.Max()),
            CaptureResources = Int("DRAAS_BENCH_CAPTURE_RESOURCES", 10_000, 1_000),
            ApiRate = Int("DRAAS_BENCH_API_RATE", 20, 20),
            ApiDuration = TimeSpan.FromSeconds(Int("DRAAS_BENCH_API_SECONDS", 30, 10)),
            DispatchJobs = Int("DRAAS_BENCH_DISPATCH_JOBS", 5_000, 1_000),
        };
    }
}
