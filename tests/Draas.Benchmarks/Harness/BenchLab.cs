using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Testing;

namespace Draas.Benchmarks.Harness;

/// <summary>
/// One benchmark world: the DR lab at 1x (real time, so the service's system clock and the lab's agree), a
/// fresh database, the service as its own process with Keystone on site-a, and the two sites and arrays
/// registered with it. Setup runs with the latency model off; a benchmark turns it on for what it measures.
/// </summary>
public sealed class BenchLab : IAsyncDisposable
{
    private BenchLab(DrLab lab, TestDatabase database, ServiceProcess service, DraasApi api)
    {
        Lab = lab;
        Database = database;
        Service = service;
        Api = api;
    }

    public DrLab Lab { get; }
    public TestDatabase Database { get; }
    /// <summary>The process that answers the API (role all, or api once <see cref="SplitAsync"/> ran).</summary>
    public ServiceProcess Service { get; private set; }
    /// <summary>Worker-only processes, after <see cref="SplitAsync"/>.</summary>
    public List<ServiceProcess> Workers { get; } = [];
    public DraasApi Api { get; private set; }
    public required LatencyModel Model { get; init; }
    public required BenchOptions Options { get; init; }
    public required string Label { get; init; }

    /// <summary>CPU time of every service process so far.</summary>
    public TimeSpan CpuTime => Workers.Aggregate(Service.CpuTime, (sum, w) => sum + w.CpuTime);

    /// <summary>Replaces the one service process by one <c>--role api</c> and <paramref name="workers"/>
    /// <c>--role worker</c> processes on the same database (benchmark 7).</summary>
    public async Task SplitAsync(int workers)
    {
        await Service.DisposeAsync().ConfigureAwait(false);
        Api.Dispose();
        string Log(string name) => Path.Combine(Options.WorkDir, $"service-{Label}-{name}.log");
        Service = await StartServiceAsync(Database, Lab, Options, Log("api"), "api").ConfigureAwait(false);
        Api = new DraasApi(Service.Url, await DraasApi.TokenAsync(Lab.SiteA.AuthUrl).ConfigureAwait(false));
        for (var i = 1; i <= workers; i++)
            Workers.Add(await StartServiceAsync(Database, Lab, Options, Log($"worker{i}"), "worker").ConfigureAwait(false));
    }
    public string SiteA { get; private set; } = "";
    public string SiteB { get; private set; } = "";

    public static async Task<BenchLab> StartAsync(BenchOptions options, LatencyModel model, string label)
    {
        var lab = await DrLab.StartAsync(new DrLabOptions
        {
            Acceleration = 1,
            Delays = Simulators.OpenStack.SimDelays.None,
            ArrayCopyDelay = model.ArrayPromote,
            ArrayMaxConcurrentCopies = model.CopiesPerArray,
            // DRAAS_BENCH_REQUEST_LOG=1: every OpenStack request, timed, in .tox/bench/requests-<label>.log.
            RequestLog = RequestLog(options, label),
        }).ConfigureAwait(false);
        TestDatabase? database = null;
        ServiceProcess? service = null;
        try
        {
            database = await BenchQueries.CreateDatabaseAsync(options.PgAdmin, label).ConfigureAwait(false);
            service = await StartServiceAsync(database, lab, options, Path.Combine(options.WorkDir, $"service-{label}.log")).ConfigureAwait(false);
            var api = new DraasApi(service.Url, await DraasApi.TokenAsync(lab.SiteA.AuthUrl).ConfigureAwait(false));
            var bench = new BenchLab(lab, database, service, api) { Model = model, Options = options, Label = label };
            await bench.RegisterAsync().ConfigureAwait(false);
            return bench;
        }
        catch
        {
            if (service is not null) await service.DisposeAsync().ConfigureAwait(false);
            if (database is not null) await database.DisposeAsync().ConfigureAwait(false);
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The settings the benchmark ran the service with (defaults of etc/draas/draas.conf unless overridden).</summary>
    public static IReadOnlyDictionary<string, string> Overrides { get; } = new Dictionary<string, string>
    {
        ["jobs:workers"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_WORKERS") ?? "10",
        ["jobs:failover_workers"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_FAILOVER_WORKERS") ?? "4",
        ["jobs:poll_interval_ms"] = Environment.GetEnvironmentVariable("DRAAS_BENCH_POLL_MS") ?? "1000",
    };

    /// <summary>The service as its own process (the shipped draas.conf plus <see cref="Overrides"/>) on the lab's
    /// database, its Keystone site-a's, so its CPU time and peak RSS are its own and nothing of the harness's.</summary>
    /// <param name="role">api, worker or all (null: the config file's, all).</param>
    private static async Task<ServiceProcess> StartServiceAsync(TestDatabase database, DrLab lab, BenchOptions options, string logFile, string? role = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["database:connection"] = database.ServiceConnectionString(),
            ["database:auto_migrate"] = "true",
            ["api:policy_file"] = Path.Combine(Path.GetDirectoryName(options.ConfigFile)!, "policy.yaml"),
            ["keystone_authtoken:auth_url"] = lab.SiteA.AuthUrl,
            ["keystone_authtoken:username"] = "admin",
            ["keystone_authtoken:password"] = "sim-admin-secret",
            ["keystone_authtoken:project_name"] = "admin",
            ["keystone_authtoken:user_domain_name"] = "Default",
            ["keystone_authtoken:project_domain_name"] = "Default",
        };
        foreach (var (key, value) in Overrides) settings[key] = value;
        var service = new ServiceProcess(settings, options.ConfigFile, role, logFile);
        try
        {
            await service.StartAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Action<string>? RequestLog(BenchOptions options, string label)
    {
        if (Environment.GetEnvironmentVariable("DRAAS_BENCH_REQUEST_LOG") != "1") return null;
        var log = new StreamWriter(Path.Combine(options.WorkDir, $"requests-{label}.log"), append: false) { AutoFlush = true };
        return line => { lock (log) log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); };
    }

    private async Task RegisterAsync()
    {
        // The operator sets the sites' limits to what their clouds do at once; the probe agent is the lab's own.
        Task<string> Site(LabSite s) => Api.CreateAsync("/v1/sites",
            LabRegistration.Site(s, probeUrl: s.OpenStack.BaseUrl, maxConcurrentImports: Model.ManagesPerBackend, maxConcurrentBoots: Model.BuildsPerSite));
        SiteA = await Site(Lab.SiteA).ConfigureAwait(false);
        SiteB = await Site(Lab.SiteB).ConfigureAwait(false);
        var arrayB = await Api.CreateAsync("/v1/arrays", LabRegistration.Array(Lab.SiteB, SiteB, maxConcurrentCopies: Model.CopiesPerArray)).ConfigureAwait(false);
        await Api.CreateAsync("/v1/arrays", LabRegistration.Array(Lab.SiteA, SiteA, arrayB, Model.CopiesPerArray)).ConfigureAwait(false);
    }

    /// <summary>A Keystone session at a lab site as its admin, scoped to <paramref name="projectId"/> (default: project admin).</summary>
    public KeystoneSession Session(LabSite site, string? projectId = null, string user = "admin", string? password = null) => new(new KeystoneSessionOptions
    {
        AuthUrl = site.AuthUrl,
        Region = site.OpenStack.Region,
        Username = user,
        Password = password ?? site.Admin.Password,
        UserDomainName = "Default",
        ProjectId = projectId,
        ProjectName = projectId is null ? (user == "admin" ? "admin" : "demo") : null,
        ProjectDomainName = projectId is null ? "Default" : null,
    }, Lab.Clock);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        foreach (var worker in Workers) await worker.DisposeAsync().ConfigureAwait(false);
        await Service.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
        await Lab.DisposeAsync().ConfigureAwait(false);
    }
}
