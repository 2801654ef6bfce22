using Draas.OpenStack.Identity;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Support;

/// <summary>What the lab registers with the service before a test begins.</summary>
public enum LabRegistered
{
    /// <summary>Nothing: the test registers the sites itself (draasctl's operator does).</summary>
    Nothing,

    /// <summary>The two sites.</summary>
    Sites,

    /// <summary>The two sites and their arrays, array-a replicating to array-b.</summary>
    SitesAndArrays,
}

/// <summary>
/// The DR lab with the real service beside it (in process, on a fresh database copied from the migrated
/// template, with a Keystone stand-in), the product's probe agent where the sites' <c>probe_url</c> points,
/// and the lab's two sites and arrays registered as an operator would. Every lab fixture of the tests is one
/// of these plus its own tenant: <see cref="Runs.TenantInTheLab"/>, <see cref="Protection.TenantFixture"/>,
/// <see cref="Tenant.RoutedTenant"/>, draasctl's operator (<see cref="Cli.DraasctlOperatorTests"/>).
/// </summary>
public sealed class ServiceInTheLab : IAsyncDisposable
{
    public const string Admin = KeystoneStandIn.AdminToken;

    private ServiceInTheLab(DrLab lab, RunningService service, LabProbeAgent? probeAgent)
    {
        Lab = lab;
        Service = service;
        ProbeAgent = probeAgent;
    }

    public DrLab Lab { get; }

    public RunningService Service { get; }

    /// <summary>The product's probe agent the sites' <c>probe_url</c> points at; null when started without one.</summary>
    public LabProbeAgent? ProbeAgent { get; }

    /// <summary>The service's ids of site-a and site-b once registered.</summary>
    public string SiteA { get; private set; } = "";

    public string SiteB { get; private set; } = "";

    /// <summary>The service's ids of array-a and array-b once registered.</summary>
    public string? ArrayA { get; private set; }

    public string? ArrayB { get; private set; }

    /// <param name="lab">The lab's options (its clock's acceleration, the clouds' delays).</param>
    /// <param name="onLabClock">The service reads the lab's clock (so lag and timeouts follow simulated time), not the system's.</param>
    /// <param name="probeAgent">Start the product's probe agent and point the sites' <c>probe_url</c> at it.</param>
    /// <param name="register">What to register with the service.</param>
    /// <param name="database">The service's database (the HA tests' primary); a fresh one when null.</param>
    /// <param name="extra">More service settings.</param>
    /// <param name="configure">More service registrations (a log capture).</param>
    public static async Task<ServiceInTheLab> StartAsync(DrLabOptions? lab = null, bool onLabClock = true, bool probeAgent = true,
        LabRegistered register = LabRegistered.SitesAndArrays, TestDatabase? database = null, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configure = null)
    {
        var drLab = await DrLab.StartAsync(lab ?? new DrLabOptions { Delays = SimDelays.None });
        LabProbeAgent? agent = null;
        RunningService? service = null;
        try
        {
            // The product's probe agent checks the recovered servers over real sockets, as an operator's would.
            if (probeAgent) agent = await LabProbeAgent.StartAsync();
            service = await RunningService.StartAsync(extra, sharedDatabase: database, clock: onLabClock ? drLab.Clock : null, configure: configure);
            var started = new ServiceInTheLab(drLab, service, agent);
            if (register != LabRegistered.Nothing) await started.RegisterSitesAsync();
            if (register == LabRegistered.SitesAndArrays) await started.RegisterArraysAsync();
            return started;
        }
        catch
        {
            if (service is not null) await service.DisposeAsync();
            if (agent is not null) await agent.DisposeAsync();
            await drLab.DisposeAsync();
            throw;
        }
    }

    private async Task RegisterSitesAsync()
    {
        SiteA = await CreateAsync("/v1/sites", LabRegistration.Site(Lab.SiteA, ProbeAgent?.Url));
        SiteB = await CreateAsync("/v1/sites", LabRegistration.Site(Lab.SiteB, ProbeAgent?.Url));
    }

    /// <summary>Registers array-b, then array-a replicating to it.</summary>
    public async Task RegisterArraysAsync()
    {
        ArrayB = await CreateAsync("/v1/arrays", LabRegistration.Array(Lab.SiteB, SiteB));
        ArrayA = await CreateAsync("/v1/arrays", LabRegistration.Array(Lab.SiteA, SiteA, ArrayB));
    }

    /// <summary>Posts <paramref name="body"/> as the admin, insists on 201, and returns the new resource's id.</summary>
    public async Task<string> CreateAsync(string path, object body)
    {
        var (status, json, _) = await Service.SendAsync(HttpMethod.Post, path, Admin, body);
        if (status != 201) throw new AssertionException($"POST {path}: {status} {json?.ToJsonString()}");
        return json!.AsObject().Single().Value!["id"]!.GetValue<string>();
    }

    /// <summary>A Keystone session at a lab site with the given credentials, on the lab's clock.</summary>
    public KeystoneSession Session(SiteCredentials c) => Session(c, Lab);

    public static KeystoneSession Session(SiteCredentials c, DrLab lab) => new(new KeystoneSessionOptions
    {
        AuthUrl = c.AuthUrl,
        Region = c.Region,
        Username = c.Username,
        Password = c.Password,
        UserDomainName = "Default",
        ProjectName = c.ProjectName,
        ProjectDomainName = "Default",
    }, lab.Clock);

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        if (ProbeAgent is not null) await ProbeAgent.DisposeAsync();
        await Lab.DisposeAsync();
    }
}
