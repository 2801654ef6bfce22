using Draas.Simulators.FlashArray;
using Draas.Simulators.OpenStack;
using Draas.Simulators.OpenStack.BlockStorage;

namespace Draas.Simulators.Lab;

/// <summary>
/// Two sites and two arrays with one truth: site-a's Cinder backend (<c>cinder@pure-a#pool</c>) stores its
/// volumes on FlashArray <c>array-a</c>, site-b's (<c>cinder@pure-b#pool</c>) on <c>array-b</c>, and the
/// arrays are connected for async and sync replication. A volume created through Cinder is the array's
/// <c>volume-&lt;id&gt;-cinder</c>; a guest write is in that volume's write log; a copy the Pure plugin
/// promotes on array-b is what site-b's Cinder imports with manage-existing. Both simulators run on one
/// clock. In a test:
/// <code>
/// await using var lab = await DrLab.StartAsync();
/// var cinder = lab.SiteA.Admin;                 // auth URL, user, password, project, region
/// var arrayA = lab.SiteA.ArrayUrl;              // + lab.SiteA.ApiToken, lab.SiteA.ArrayName
/// lab.Advance(TimeSpan.FromMinutes(65));        // Cinder settles, the hourly schedule fires and ships
/// </code>
/// </summary>
public sealed class DrLab : IAsyncDisposable
{
    /// <summary>Site, array, its token and its Cinder backend name, as a real deployment would pair them.</summary>
    private static readonly (string Site, string Array, string Token, string Backend)[] Pairs =
    [
        ("site-a", "array-a", "token-a", "pure-a"),
        ("site-b", "array-b", "token-b", "pure-b"),
    ];

    private const string CinderHost = "cinder";
    private const string CinderPool = "pool";

    private readonly Dictionary<string, LabSite> _sites;

    private DrLab(OpenStackSimulator openStack, FlashArraySimulator flashArray, Dictionary<string, LabSite> sites)
    {
        OpenStack = openStack;
        FlashArray = flashArray;
        _sites = sites;
    }

    /// <summary>The OpenStack simulator's admin handle (sites, faults, <c>AdminUrl</c>).</summary>
    public OpenStackSimulator OpenStack { get; }

    /// <summary>The FlashArray simulator's admin handle (<c>Admin</c> over HTTP, array URLs, tokens).</summary>
    public FlashArraySimulator FlashArray { get; }

    /// <summary>The one clock both simulators run on; hand it to the code under test as its TimeProvider.</summary>
    public SimClock Clock => FlashArray.Clock;

    public LabSite SiteA => _sites["site-a"];
    public LabSite SiteB => _sites["site-b"];
    public IReadOnlyList<LabSite> Sites => [.. _sites.Values];

    public LabSite Site(string name) => _sites.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no site '{name}' in the lab");

    /// <summary>The FlashArray simulator's admin API root (<c>.../sim/</c>): clock, faults, write logs.</summary>
    public Uri FlashArrayAdminUrl => new(FlashArray.BaseUrl, "sim/");

    /// <summary>Every REST request that reached one array; see <see cref="FlashArraySimulator.Requests"/>.</summary>
    public long ArrayRequests(string arrayName) => FlashArray.Requests(arrayName);

    public static async Task<DrLab> StartAsync(DrLabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DrLabOptions();
        var start = options.Start ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var flashArray = await FlashArraySimulator.StartAsync(new FlashArraySimulatorOptions
        {
            Arrays = [.. Pairs.Select(p => new SimArrayOptions(p.Array, p.Token))],
            Connections = [new("array-a", "array-b", "async-replication"), new("array-a", "array-b", "sync-replication")],
            Port = options.FlashArrayPort,
            Start = start,
            // Without a chosen start the lab's clock is the wall's, to the millisecond: the service beside it
            // (a process on the system clock) must read the same time for lag and RPO to be true.
            StartNow = options.Start is null,
            Acceleration = options.Acceleration,
            CopyDelay = options.ArrayCopyDelay,
            MaxConcurrentCopies = options.ArrayMaxConcurrentCopies,
            ContinuousLag = options.ContinuousLag ?? new FlashArraySimulatorOptions().ContinuousLag,
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            var stores = Pairs.ToDictionary(p => p.Site, p => new FlashArrayVolumeStore(flashArray, p.Array));
            var openStack = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions
            {
                Sites = [.. Pairs.Select(p => p.Site)],
                Port = options.OpenStackPort,
                Clock = flashArray.Clock,
                Delays = options.Delays,
                GuestNetwork = options.GuestNetwork,
                RequestLog = options.RequestLog,
                ArrayStore = site => stores[site],
                VolumeBackend = (site, store) => new VolumeBackend(CinderHost, Pairs.Single(p => p.Site == site).Backend, CinderPool, store,
                    CapacityGiB(flashArray, stores[site].ArrayName)),
            }, cancellationToken).ConfigureAwait(false);
            var sites = Pairs.ToDictionary(p => p.Site, p => new LabSite(
                openStack.Site(p.Site), p.Array, flashArray.ArrayUrl(p.Array), flashArray.ApiToken(p.Array),
                openStack.Site(p.Site).Backend.PoolName, stores[p.Site]));
            return new DrLab(openStack, flashArray, sites);
        }
        catch
        {
            await flashArray.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Moves the one clock forward and lets both simulators catch up at once: Cinder and Nova apply
    /// their due status changes (a deleted volume is gone from the array before anyone asks Cinder), the
    /// arrays take due snapshots and ship them in time order. With <see cref="DrLabOptions.Acceleration"/>
    /// above 0, time also passes by itself; each simulator then catches up on its next request.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var site in _sites.Values) site.OpenStack.Locked(() => 0);
        lock (FlashArray.World.Gate) FlashArray.Engine.CatchUp();
    }

    /// <summary>The lab's churn knob: other tenants create and delete volumes and servers in projects of
    /// their own at <paramref name="site"/> (a shared recovery site on a busy day) until the handle is disposed.</summary>
    public SiteChurn StartChurn(LabSite site, ChurnOptions? options = null) => SiteChurn.Start(site.OpenStack, options);

    private static long CapacityGiB(FlashArraySimulator flashArray, string array)
    {
        lock (flashArray.World.Gate) return flashArray.World.Array(array).CapacityBytes >> 30;
    }

    public async ValueTask DisposeAsync()
    {
        await OpenStack.DisposeAsync().ConfigureAwait(false);
        await FlashArray.DisposeAsync().ConfigureAwait(false);
    }
}
