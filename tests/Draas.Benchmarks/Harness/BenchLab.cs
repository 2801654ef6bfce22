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
    public ServiceProcess Service { get; }
    public DraasApi Api { get; }
    public string SiteA { get; private set; } = "";
    public string SiteB { get; private set; } = "";

    public static async Task<BenchLab> StartAsync(BenchOptions options, LatencyModel model, string label)
    {
        var lab = await DrLab.StartAsync(new DrLabOptions
        {
            Acceleration = 1,
            Delays = Simulators.OpenStack.SimDelays.None,
            ArrayCopyDelay = model.ArrayPromote,
        }).ConfigureAwait(false);
        BenchDatabase? database = null;
        ServiceProcess? service = null;
        try
        {
            database = await BenchDatabase.CreateAsync(options.PgAdmin, label).ConfigureAwait(false);
            service = await ServiceProcess.StartAsync(database.ConnectionString, lab.SiteA.AuthUrl, options.ConfigFile,
                Path.Combine(options.WorkDir, $"service-{label}.log")).ConfigureAwait(false);
            var api = new DraasApi(service.Url, await DraasApi.TokenAsync(lab.SiteA.AuthUrl).ConfigureAwait(false));
            var bench = new BenchLab(lab, database, service, api);
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
            },
        });
        SiteA = await Site(Lab.SiteA).ConfigureAwait(false);
        SiteB = await Site(Lab.SiteB).ConfigureAwait(false);
        object Array(LabSite s, string site, string? peer) => new
        {
            array = new { name = s.ArrayName, site_id = site, plugin = "pure", endpoint = s.ArrayUrl.ToString(), api_token = s.ApiToken, cinder_backend = s.CinderBackend, peer_array_id = peer },
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
        await Service.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
        await Lab.DisposeAsync().ConfigureAwait(false);
    }
}
