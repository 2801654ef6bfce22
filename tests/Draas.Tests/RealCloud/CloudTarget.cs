using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;

namespace Draas.Tests.RealCloud;

/// <summary>One OpenStack site as the cloud scenarios see it, whether simulated or real.</summary>
public sealed class CloudSite
{
    public required string Name { get; init; }

    /// <summary>Fresh options for the site's cloud admin (admin of project admin) on every call.</summary>
    public required Func<KeystoneSessionOptions> AdminOptions { get; init; }

    /// <summary>Fresh options for a project member (demo, member of project demo) on every call.</summary>
    public required Func<KeystoneSessionOptions> MemberOptions { get; init; }

    /// <summary>Whether the site runs Nova (the real harness runs it on site 1 only).</summary>
    public required bool HasCompute { get; init; }

    /// <summary>The Cinder backend a storage plugin's promoted volumes appear on: host@backend#pool.</summary>
    public required string BackendHost { get; init; }

    /// <summary>Puts an unmanaged volume of <c>sizeGiB</c> on the site's backend under <c>name</c>, the way
    /// a storage plugin's promoted replica appears there before Cinder manages it.</summary>
    public required Func<string, int, Task> PlaceBackendVolume { get; init; }

    public KeystoneSession AdminSession() => new(AdminOptions());
    public KeystoneSession MemberSession() => new(MemberOptions());
}

/// <summary>Two OpenStack sites to run the cloud scenarios against: the in-process simulator or the real
/// services tests/realcloud/up.sh starts.</summary>
public abstract class CloudTarget : IAsyncDisposable
{
    public CloudSite Site1 { get; protected set; } = null!;
    public CloudSite Site2 { get; protected set; } = null!;

    /// <summary>How long the scenarios wait for a status; the real services are slower than the simulator.</summary>
    public abstract WaitOptions Wait { get; }

    public abstract Task StartAsync(CancellationToken ct);
    public abstract ValueTask DisposeAsync();
}
