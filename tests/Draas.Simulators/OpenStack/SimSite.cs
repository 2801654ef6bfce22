using System.Collections.Concurrent;
using Draas.Simulators.OpenStack.BlockStorage;
using Draas.Simulators.OpenStack.Compute;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;
using Draas.Simulators.OpenStack.Image;
using Draas.Simulators.OpenStack.Network;

namespace Draas.Simulators.OpenStack;

/// <summary>Credentials of a seeded user, ready for a clouds.yaml entry or a Keystone password auth.</summary>
public sealed record SiteCredentials(string AuthUrl, string Region, string Username, string Password, string ProjectName,
    string UserDomainName = IdentityStore.DefaultDomainName, string ProjectDomainName = IdentityStore.DefaultDomainName);

/// <summary>One simulated OpenStack cloud/region. Its Keystone has its own users and tokens (a token of
/// one site is rejected by another). Nova, Cinder, Glance and Neutron state lives behind one lock per
/// site because their operations cross services (an attach changes a server and a volume at once).</summary>
public sealed class SimSite
{
    internal SimSite(string name, OpenStackSimulatorOptions options, int index)
    {
        Name = name;
        Region = name;
        Delays = options.Delays;
        Array = options.ArrayStore?.Invoke(name) ?? new InMemoryArrayVolumeStore();
        Scheduler = new Scheduler(options.Clock);
        Manages = new CloudCapacity(Scheduler);
        Builds = new CloudCapacity(Scheduler);
        Identity = new IdentityStore(options.Clock, options.TokenLifetime);
        Faults = new SiteFaults(options.RandomSeed + index);
        Backend = options.VolumeBackend?.Invoke(name, Array) ?? new VolumeBackend(name, "pure", "pure", Array, 10_240);
        Compute = new ComputeState();
        BlockStorage = new BlockStorageState();
        Images = new ImageState();
        Networks = new NetworkState();
        if (options.GuestNetwork) Guests = new Guests.GuestNetwork(this, options.ProbeSource);
        Seed(options, index);
        _adminPassword = options.AdminPassword;
        _demoPassword = options.DemoPassword;
    }

    public string Name { get; }
    public string Region { get; }

    private readonly string _adminPassword;
    private readonly string _demoPassword;

    /// <summary>Root of this site's services, e.g. <c>http://127.0.0.1:PORT/site-a</c>; set once Kestrel
    /// listens (the port is chosen then).</summary>
    public string BaseUrl { get; internal set; } = "";
    public string AuthUrl => $"{BaseUrl}/identity/v3";

    /// <summary>The seeded <c>admin</c> user: admin of projects <c>admin</c> and <c>demo</c>.</summary>
    public SiteCredentials Admin => new(AuthUrl, Region, "admin", _adminPassword, "admin");

    /// <summary>The seeded <c>demo</c> user: member of project <c>demo</c>.</summary>
    public SiteCredentials Demo => new(AuthUrl, Region, "demo", _demoPassword, "demo");
    public IdentityStore Identity { get; }
    public SiteFaults Faults { get; }

    /// <summary>The array behind this site's Cinder backend; tests seed backend volumes here.</summary>
    public IArrayVolumeStore Array { get; }
    public VolumeBackend Backend { get; }

    /// <summary>Delays of asynchronous status changes; tests may change them between requests.</summary>
    public SimDelays Delays { get; set; }

    /// <summary>The newest Nova microversion this site offers (Zed's 2.93 by default); lower it to play an
    /// older cloud. The version document and the microversion check both follow it.</summary>
    public Core.Microversion NovaMaxMicroversion { get; set; } = ComputeApi.Max;

    /// <summary>When set, servers that finish building go to ERROR with this fault message.</summary>
    public string? FailServerBuilds { get; set; }

    /// <summary>How many volumes this site's Cinder backend manages at once (0, the default: unlimited).
    /// More stay <c>managing</c>, queued, until one finishes; each one's manage delay starts with its slot.
    /// Safe to set while the site serves: raising it starts queued manages at once.</summary>
    public int MaxConcurrentManages
    {
        get => Manages.MaxInFlight;
        set => Locked(() => Manages.MaxInFlight = value);
    }

    /// <summary>How many servers this site's Nova builds at once (0, the default: unlimited). More stay
    /// <c>BUILD</c>, queued, until one finishes. Safe to set while the site serves.</summary>
    public int MaxConcurrentBuilds
    {
        get => Builds.MaxInFlight;
        set => Locked(() => Builds.MaxInFlight = value);
    }

    /// <summary>The manages in flight and queued (read them under <see cref="Locked{T}"/> for a consistent view).</summary>
    public CloudCapacity Manages { get; }

    /// <summary>The server builds in flight and queued.</summary>
    public CloudCapacity Builds { get; }

    private long _requests;
    private readonly ConcurrentDictionary<string, long> _requestsByService = new(StringComparer.Ordinal);

    /// <summary>Every HTTP request that reached this site (<c>/{site}/...</c>), those answered with an
    /// injected fault or reset because the site is down included: the load a client put on the cloud.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary><see cref="Requests"/> by service, the path's second segment (identity, compute, volume, image, network).</summary>
    public IReadOnlyDictionary<string, long> RequestsByService => _requestsByService;

    internal void CountRequest(string? service)
    {
        Interlocked.Increment(ref _requests);
        if (service is not null) _requestsByService.AddOrUpdate(service, 1, static (_, n) => n + 1);
    }

    internal object Gate { get; } = new();
    internal Scheduler Scheduler { get; }
    internal ComputeState Compute { get; }
    internal BlockStorageState BlockStorage { get; }
    internal ImageState Images { get; }
    internal NetworkState Networks { get; }

    /// <summary>The honest lab's guests answering real TCP/HTTP on loopback (<see cref="OpenStackSimulatorOptions.GuestNetwork"/>).</summary>
    public Guests.GuestNetwork? Guests { get; }

    public string ServiceUrl(string service) => $"{BaseUrl}/{service}";

    /// <summary>Runs <paramref name="read"/> under the site's lock after applying due status changes.</summary>
    public T Locked<T>(Func<T> read)
    {
        lock (Gate)
        {
            Scheduler.Settle();
            Guests?.Reconcile();
            var result = read();
            Guests?.Reconcile();
            return result;
        }
    }

    /// <summary>Status of a Cinder volume as a client would see it now (for tests).</summary>
    /// <summary>Sets Cinder's default quota class (what a new project gets) for one key, as an operator's
    /// os-quota-class-sets/default would.</summary>
    public void SetDefaultVolumeQuota(string key, int limit) => Locked(() => BlockStorage.ClassDefaults[key] = limit);

    public string? VolumeStatus(string volumeId) => Locked(() => BlockStorage.Volumes.GetValueOrDefault(volumeId)?.Status);

    public string? ServerStatus(string serverId) => Locked(() => Compute.Servers.GetValueOrDefault(serverId)?.Status);

    /// <summary>A guest write: appends <paramref name="write"/> to the array volume behind the server's
    /// root volume (or the attached <paramref name="volumeId"/>), the way data reaches the array that
    /// replication then copies. False when the server is not running or has no such volume.</summary>
    public bool WriteFromServer(string serverId, string write, string? volumeId = null) => Locked(() =>
    {
        if (Compute.Servers.GetValueOrDefault(serverId) is not { Status: "ACTIVE" } server) return false;
        // The root disk is boot_index 0; Nova's -1 (or none) marks a device that is not bootable.
        var device = volumeId is null
            ? server.BlockDevices.Where(b => b.VolumeId is not null).OrderBy(b => b.BootIndex is int i && i >= 0 ? i : int.MaxValue).FirstOrDefault()
            : server.BlockDevices.FirstOrDefault(b => b.VolumeId == volumeId);
        if (device?.VolumeId is null || BlockStorage.Volumes.GetValueOrDefault(device.VolumeId) is not { } volume) return false;
        return Array.AppendWrite(volume.ArrayName, write);
    });

    /// <summary>The data canary's tokens on the server's volumes, oldest first: what its guest's canary endpoint
    /// wrote (<see cref="CanaryPrefix"/>) and what a recovered copy of those volumes still holds. Null: not ACTIVE.</summary>
    public IReadOnlyList<string>? CanaryTokens(string serverId) => Locked<IReadOnlyList<string>?>(() =>
    {
        if (Compute.Servers.GetValueOrDefault(serverId) is not { Status: "ACTIVE" } server) return null;
        return [.. server.BlockDevices.Where(b => b.VolumeId is not null)
            .Select(b => BlockStorage.Volumes.GetValueOrDefault(b.VolumeId!)?.ArrayName)
            .OfType<string>()
            .SelectMany(name => Array.Find(name)?.WriteLog ?? [])
            .Where(w => w.StartsWith(CanaryPrefix, StringComparison.Ordinal))
            .Select(w => w[CanaryPrefix.Length..])];
    });

    /// <summary>How a guest's canary endpoint marks its writes in the volume's write log.</summary>
    public const string CanaryPrefix = "canary:";

    public string ProjectId(string name) => Identity.FindProject(name)?.Id ?? throw new KeyNotFoundException(name);

    private void Seed(OpenStackSimulatorOptions options, int index)
    {
        Identity.SeedRoles();
        var admin = Identity.CreateProject("admin", "Bootstrap project for initializing the cloud.");
        var service = Identity.CreateProject("service", "Service project");
        var demo = Identity.CreateProject("demo", "Demo tenant");
        var adminUser = Identity.CreateUser("admin", options.AdminPassword, admin.Id);
        var demoUser = Identity.CreateUser("demo", options.DemoPassword, demo.Id);
        Identity.Grant(adminUser.Id, admin.Id, IdentityStore.AdminRole);
        Identity.Grant(adminUser.Id, demo.Id, IdentityStore.AdminRole);
        Identity.Grant(demoUser.Id, demo.Id, IdentityStore.MemberRole);
        _ = service;

        var now = options.Clock.GetUtcNow();
        Compute.Seed();
        BlockStorage.Seed(Backend.BackendName);
        Images.Seed(admin.Id, now);
        Networks.Seed(admin.Id, index, now);
    }
}
