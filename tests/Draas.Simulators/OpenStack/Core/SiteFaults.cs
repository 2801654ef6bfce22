namespace Draas.Simulators.OpenStack.Core;

/// <summary>Faults one service of a site shows: extra latency, a random error rate, and a number of
/// forced answers with a fixed status (409 or 503 are the interesting ones for retry policies).</summary>
public sealed record ServiceFault
{
    public TimeSpan Latency { get; init; }
    public double ErrorRate { get; init; }
    public int ErrorStatus { get; init; } = 500;
    public int? ForceStatus { get; init; }

    /// <summary>How many requests get <see cref="ForceStatus"/>; -1 means until cleared.</summary>
    public int ForceCount { get; init; } = -1;
}

/// <summary>The faults of one site, thread-safe: tests and the admin endpoint change them while
/// requests are in flight.</summary>
public sealed class SiteFaults(int seed)
{
    public static readonly string[] Services = ["identity", "compute", "volume", "image", "network"];

    private readonly object _gate = new();
    private readonly Dictionary<string, ServiceFault> _services = [];
    private readonly Dictionary<string, int> _forcedLeft = [];
    private readonly Random _random = new(seed);
    private volatile bool _down;
    private long _injected;

    /// <summary>Cinder volume names whose manage-existing ends in <c>error_managing</c> (a permanent fault of one import).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> ManageFailures { get; } = new();

    /// <summary>The whole site is unreachable: every connection to it is reset.</summary>
    public bool Down { get => _down; set => _down = value; }

    /// <summary>How many times this site failed a request or an operation on purpose: random and forced
    /// errors, resets while down, refused imports, failed builds, unhealthy probe answers.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>Counts one injected fault (the simulator's own handlers call it where they inject one).</summary>
    public void CountInjected() => Interlocked.Increment(ref _injected);

    public void Set(string service, ServiceFault fault)
    {
        if (!Services.Contains(service)) throw new ArgumentException($"unknown service '{service}'", nameof(service));
        lock (_gate)
        {
            _services[service] = fault;
            _forcedLeft[service] = fault.ForceCount;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _services.Clear();
            _forcedLeft.Clear();
        }
        _down = false;
    }

    public IReadOnlyDictionary<string, ServiceFault> Snapshot()
    {
        lock (_gate) return new Dictionary<string, ServiceFault>(_services);
    }

    /// <summary>Decides the fate of one request: its extra latency and the status to fail it with, if any.</summary>
    public (TimeSpan Latency, int? Status) Roll(string service)
    {
        lock (_gate)
        {
            if (!_services.TryGetValue(service, out var fault)) return (TimeSpan.Zero, null);
            if (fault.ForceStatus is { } forced)
            {
                var left = _forcedLeft.GetValueOrDefault(service, -1);
                if (left != 0)
                {
                    if (left > 0) _forcedLeft[service] = left - 1;
                    _injected++;
                    return (fault.Latency, forced);
                }
            }
            if (fault.ErrorRate > 0 && _random.NextDouble() < fault.ErrorRate)
            {
                _injected++;
                return (fault.Latency, fault.ErrorStatus);
            }
            return (fault.Latency, null);
        }
    }
}
