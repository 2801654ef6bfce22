namespace Draas.Simulators.FlashArray;

/// <summary>One simulated array.</summary>
public sealed record SimArrayOptions(string Name, string ApiToken, long CapacityBytes = 100L << 40, string Version = "6.5.8");

/// <summary>An array connection; <c>Type</c> is <c>async-replication</c> or <c>sync-replication</c>.</summary>
public sealed record SimConnectionOptions(string A, string B, string Type = "async-replication");

public sealed record FlashArraySimulatorOptions
{
    public IReadOnlyList<SimArrayOptions> Arrays { get; init; } =
        [new("array-a", "token-a"), new("array-b", "token-b")];
    public IReadOnlyList<SimConnectionOptions> Connections { get; init; } =
        [new("array-a", "array-b", "async-replication"), new("array-a", "array-b", "sync-replication")];
    /// <summary>Serve HTTPS with a fresh self-signed certificate (see <c>FlashArraySimulator.CertificatePem</c>).</summary>
    public bool Tls { get; init; }
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    /// <summary>Start the clock at the wall's time at the moment it is made, ignoring <see cref="Start"/>: a lab at 1x
    /// then agrees with every other process on the machine (a start taken earlier would lag by the start-up time).</summary>
    public bool StartNow { get; init; }
    /// <summary>Simulated seconds per real second; 0 stops time except for explicit advances.</summary>
    public double Acceleration { get; init; } = 60;
    /// <summary>Replication link speed: transfer time = bytes / bandwidth.</summary>
    public long BandwidthBytesPerSecond { get; init; } = 100L << 20;
    /// <summary>The most items one GET returns; more come with a continuation token.</summary>
    public int MaxPageSize { get; init; } = 1000;
    /// <summary>How far an ActiveDR target trails its source.</summary>
    public TimeSpan ContinuousLag { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a pod stays <c>promoting</c>.</summary>
    public TimeSpan PromotionDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Whether a new protection-group target is allowed without the target array's consent.</summary>
    public bool TargetsAllowedByDefault { get; init; }
    /// <summary>The newest REST version offered; versions 1.0 … 1.19 and 2.0 … this one are listed.</summary>
    public int MaxMinorVersion { get; init; } = 36;
    public int Seed { get; init; } = 4;
    /// <summary>Extra real time a volume copy (<c>POST volumes</c> with a source: how the plugin promotes a
    /// replica) takes before it answers. Zero by default; the benchmarks' latency model sets it.</summary>
    public TimeSpan CopyDelay { get; init; } = TimeSpan.Zero;
    /// <summary>How many volume copies each array makes at once (0, the default: unlimited). More wait, in
    /// real time, for a copy to finish before their own <see cref="CopyDelay"/> starts, as an array's copy
    /// engine queues them.</summary>
    public int MaxConcurrentCopies { get; init; }
}
