using Draas.Simulators.OpenStack;

namespace Draas.Simulators.Lab;

/// <summary>How to start the <see cref="DrLab"/>. The defaults suit tests: free loopback ports and a clock
/// that moves only when the test calls <see cref="DrLab.Advance"/>.</summary>
public sealed record DrLabOptions
{
    /// <summary>Port of the OpenStack simulator; 0 picks a free one.</summary>
    public int OpenStackPort { get; init; }

    /// <summary>Port of the FlashArray simulator; 0 picks a free one.</summary>
    public int FlashArrayPort { get; init; }

    /// <summary>Simulated seconds per real second. 0 (the default) stops time between explicit advances,
    /// so a test decides exactly when a schedule fires; code that polls on the lab's clock (the plugin's
    /// replicate-now, the OpenStack clients' waiters) needs a positive value, e.g. 60.</summary>
    public double Acceleration { get; init; }

    /// <summary>Where the clock starts. Default: now, so token expiry looks sane to any client.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Cinder and Nova status-change delays on the lab's clock.</summary>
    public SimDelays Delays { get; init; } = new();

    /// <summary>Extra real time each array volume copy (a promote) takes; see <see cref="FlashArray.FlashArraySimulatorOptions.CopyDelay"/>.</summary>
    public TimeSpan ArrayCopyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Every OpenStack request line goes here (a benchmark's diagnosis: what a step asked for).</summary>
    public Action<string>? RequestLog { get; init; }

    /// <summary>How many volume copies each array makes at once, 0 (the default) unlimited; see <see cref="FlashArray.FlashArraySimulatorOptions.MaxConcurrentCopies"/>.</summary>
    public int ArrayMaxConcurrentCopies { get; init; }

    /// <summary>Servers answer real TCP/HTTP on their own loopback addresses where their security groups
    /// allow the probe agent's source (<see cref="OpenStackSimulatorOptions.GuestNetwork"/>). On by default: the lab
    /// is no kinder than a cloud, so a health check passes only where the guest is reachable.</summary>
    public bool GuestNetwork { get; init; } = true;

    /// <summary>How far an ActiveDR (continuous) target trails its source; see <see cref="FlashArray.FlashArraySimulatorOptions.ContinuousLag"/>.</summary>
    public TimeSpan? ContinuousLag { get; init; }
}
