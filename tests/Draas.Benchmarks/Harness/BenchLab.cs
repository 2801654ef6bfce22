using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;

namespace Draas.Benchmarks.Harness;

/// <summary>
/// One benchmark world: the DR lab at 1x (real time, so the service's system clock and the lab's agree), a
/// fresh database, the service as its own process with Keystone on site-a, and the two sites and arrays
/// registered with it. Setup runs with the latency model off; a benchmark turns it on for what it measures.
/// </summary>
public sealed class BenchLab : IAsyncDisposable
{
    private BenchLab(DrLab lab, BenchDatabase database, ServiceProcess service, DraasApi api)
    {
        Lab = lab;
        Database = database;
        Service = service;
        Api = api;
    }

    public DrLab Lab { get; }
    public BenchDatabase Database { get; }
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
        Service = await ServiceProcess.StartAsync(Database.ConnectionString, Lab.SiteA.AuthUrl, Options.ConfigFile, Log("api"), "api").ConfigureAwait(false);
        Api = new DraasApi(Service.Url, await DraasApi.TokenAsync(Lab.SiteA.AuthUrl).ConfigureAwait(false));
        for (var i = 1; i <= workers; i++)
            Workers.Add(await ServiceProcess.StartAsync(Database.ConnectionString, Lab.SiteA.AuthUrl, Options.ConfigFile, Log($"worker{i}"), "worker").ConfigureAwait(false));
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
        BenchDatabase? database = null;
        ServiceProcess? service = null;
        try
        {
            database = await BenchDatabase.CreateAsync(options.PgAdmin, label).ConfigureAwait(false);
            service = await ServiceProcess.StartAsync(database.ConnectionString, lab.SiteA.AuthUrl, options.ConfigFile,
                Path.Combine(options.WorkDir, $"service-{label}.log")).ConfigureAwait(false);
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

    private static Action<string>? RequestLog(BenchOptions options, string label)
    {
        if (Environment.GetEnvironmentVariable("DRAAS_BENCH_REQUEST_LOG") != "1") return null;
        var log = new StreamWriter(Path.Combine(options.WorkDir, $"requests-{label}.log"), append: false) { AutoFlush = true };
        return line => { lock (log) log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); };
    }

    private async Task RegisterAsync()
    {
        Task<string> Site(LabSite s) => Api.CreateAsync("/v1/sites", new
        {
            site = new
            {
                name = s.Name,
                auth_url = s.AuthUrl,
                region_name = s.OpenStack.Region,
                username = s.Admin.Username,
                project_name = s.Admin.ProjectName,
                password = s.Admin.Password,
                probe_url = s.OpenStack.BaseUrl,
                // The operator sets the site's limits to what its clouds do at once.
                max_concurrent_imports = Model.ManagesPerBackend,
                max_concurrent_boots = Model.BuildsPerSite,
            },
        });
        SiteA = await Site(Lab.SiteA).ConfigureAwait(false);
        SiteB = await Site(Lab.SiteB).ConfigureAwait(false);
        object Array(LabSite s, string site, string? peer) => new
        {
            array = new { name = s.ArrayName, site_id = site, plugin = "pure", endpoint = s.ArrayUrl.ToString(), api_token = s.ApiToken, cinder_backend = s.CinderBackend, peer_array_id = peer, max_concurrent_copies = Model.CopiesPerArray },
        };
        var arrayB = await Api.CreateAsync("/v1/arrays", Array(Lab.SiteB, SiteB, null)).ConfigureAwait(false);
        await Api.CreateAsync("/v1/arrays", Array(Lab.SiteA, SiteA, arrayB)).ConfigureAwait(false);
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
