namespace Draas.Simulators.OpenStack;

/// <summary>How to start the OpenStack simulator. The defaults give two sites, <c>site-a</c> and
/// <c>site-b</c>, on a free loopback port, with the system clock and short realistic delays.</summary>
public sealed class OpenStackSimulatorOptions
{
    public IList<string> Sites { get; init; } = ["site-a", "site-b"];

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Drives token expiry and every asynchronous status change (volumes, servers, images).
    /// Tests pass a fake clock and advance it instead of sleeping.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public SimDelays Delays { get; init; } = new();

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Password of each site's <c>admin</c> user (admin of project <c>admin</c>) and of the
    /// <c>demo</c> user (member of project <c>demo</c>). Loopback only: these guard nothing.</summary>
    public string AdminPassword { get; init; } = "sim-admin-secret";
    public string DemoPassword { get; init; } = "sim-demo-secret";

    /// <summary>Seed of the random source behind injected error rates, so a failing run can be replayed.</summary>
    public int RandomSeed { get; init; } = 12345;

    /// <summary>The array behind each site's Cinder backend, by site name. Default: an in-simulator store
    /// per site; the FlashArray simulator can supply its arrays here.</summary>
    public Func<string, BlockStorage.IArrayVolumeStore>? ArrayStore { get; init; }

    /// <summary>Each site's Cinder backend (<c>host@backend#pool</c>) over its array store, by site name.
    /// Default: <c>SITE@pure#pure</c>.</summary>
    public Func<string, BlockStorage.IArrayVolumeStore, BlockStorage.VolumeBackend>? VolumeBackend { get; init; }

    /// <summary>Writes every request line to this sink (the CLI test uses it to explain a failure).</summary>
    public Action<string>? RequestLog { get; init; }

    /// <summary>The honest lab: every server answers real TCP/HTTP on its own loopback address, only where its
    /// security groups let <see cref="ProbeSource"/> in (see <c>Guests/GuestNetwork</c>).</summary>
    public bool GuestNetwork { get; init; }

    /// <summary>The address the site's probe agent connects from (its <c>--source</c>).</summary>
    public System.Net.IPAddress ProbeSource { get; init; } = System.Net.IPAddress.Loopback;
}

/// <summary>How long each asynchronous status change takes on the simulator's clock. Zero makes the
/// change visible at the next read.</summary>
public sealed record SimDelays
{
    public TimeSpan VolumeCreate { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan VolumeManage { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan VolumeDelete { get; init; } = TimeSpan.Zero;
    public TimeSpan SnapshotCreate { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ServerBuild { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ServerPower { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ImageImport { get; init; } = TimeSpan.Zero;

    /// <summary>How long the probe agent takes to answer a health check, in real time (a guest's answer
    /// is not on the lab's clock). Zero by default; the benchmarks state their own.</summary>
    public TimeSpan Probe { get; init; } = TimeSpan.Zero;

    public static SimDelays None => new()
    {
        VolumeCreate = TimeSpan.Zero,
        VolumeManage = TimeSpan.Zero,
        SnapshotCreate = TimeSpan.Zero,
        ServerBuild = TimeSpan.Zero,
        ServerPower = TimeSpan.Zero,
        ImageImport = TimeSpan.Zero,
    };
}
