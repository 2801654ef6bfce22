namespace Draas.Simulators.FlashArray.Model;

/// <summary>Every array, connection and replica link of one simulator. One lock guards it all: the
/// simulator is about faithful behaviour, not throughput.</summary>
public sealed class SimWorld
{
    private long _seq;

    public SimWorld(FlashArraySimulatorOptions options, SimClock clock)
    {
        Options = options;
        Clock = clock;
        Random = new Random(options.Seed);
        foreach (var a in options.Arrays)
        {
            Arrays[a.Name] = new SimArray
            {
                Id = NewId(),
                Name = a.Name,
                ApiToken = a.ApiToken,
                Version = a.Version,
                CapacityBytes = a.CapacityBytes,
            };
        }
        foreach (var c in options.Connections)
        {
            Connections.Add(new SimConnection { Id = NewId(), A = Array(c.A), B = Array(c.B), Type = c.Type });
        }
    }

    public object Gate { get; } = new();
    public FlashArraySimulatorOptions Options { get; }
    public SimClock Clock { get; }
    public Random Random { get; }
    public Dictionary<string, SimArray> Arrays { get; } = new(StringComparer.Ordinal);
    public List<SimConnection> Connections { get; } = [];
    public List<SimReplicaLink> Links { get; } = [];
    /// <summary>How far the replication engine has processed time.</summary>
    public DateTimeOffset ProcessedUntil { get; set; }

    /// <summary>A UUID from the seeded random source, so a run with the same seed has the same ids.</summary>
    public string NewId()
    {
        var bytes = new byte[16];
        Random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
    public string NewSerial() => $"{Random.NextInt64(0, long.MaxValue):X16}{Random.Next():X8}"[..24];
    public long NextSeq() => ++_seq;

    public SimArray Array(string name) =>
        Arrays.TryGetValue(name, out var a) ? a : throw new SimError("Array does not exist.", name);

    public IEnumerable<SimConnection> ConnectionsOf(SimArray array) => Connections.Where(c => c.A == array || c.B == array);

    /// <summary>The working connection between two arrays, of any of the given types.</summary>
    public SimConnection? Connection(SimArray x, SimArray y, params string[] types) =>
        Connections.FirstOrDefault(c => c.Joins(x, y) && (types.Length == 0 || types.Contains(c.Type)));

    public bool LinkUp(SimArray x, SimArray y) => Connections.Any(c => c.Joins(x, y) && c.Up);

    public SimVolume? FindVolume(SimArray array, string name)
    {
        var split = name.IndexOf("::", StringComparison.Ordinal);
        if (split < 0) return array.Volumes.GetValueOrDefault(name);
        return array.Pods.TryGetValue(name[..split], out var pod) ? pod.Volumes.GetValueOrDefault(name[(split + 2)..]) : null;
    }

    public SimVolume Volume(SimArray array, string name) => FindVolume(array, name) ?? throw SimError.NotFound("Volume", name);

    public SimPod Pod(SimArray array, string name) =>
        array.Pods.TryGetValue(name, out var pod) ? pod : throw SimError.NotFound("Pod", name);

    public SimProtectionGroup Group(SimArray array, string name) =>
        array.ProtectionGroups.TryGetValue(name, out var pg) ? pg : throw SimError.NotFound("Protection group", name);

    /// <summary>Whether a name is free on an array: volumes, destroyed or not, hold their names.</summary>
    public void RequireFreeVolumeName(SimArray array, string name)
    {
        if (FindVolume(array, name) is not null) throw SimError.Exists("Volume", name);
        if (name.Contains("::", StringComparison.Ordinal)) Pod(array, name[..name.IndexOf("::", StringComparison.Ordinal)]);
    }

    public void RequireRoom(SimArray array, long bytes)
    {
        if (array.UsedBytes + bytes > array.CapacityBytes)
            throw new SimError("Array space limit reached.", array.Name);
    }

    public SimVolume NewVolume(string leaf, long provisioned, Contents data, string? source) => new()
    {
        Id = NewId(),
        LeafName = leaf,
        Serial = NewSerial(),
        Provisioned = provisioned,
        Created = Clock.GetUtcNow(),
        Data = data,
        SourceName = source,
    };

    /// <summary>Places a new volume under its full name (in its pod when named <c>pod::vol</c>).</summary>
    public void Place(SimArray array, string name, SimVolume volume)
    {
        var split = name.IndexOf("::", StringComparison.Ordinal);
        if (split < 0) { array.Volumes[name] = volume; return; }
        var pod = Pod(array, name[..split]);
        volume.Pod = pod;
        pod.Volumes[volume.LeafName] = volume;
    }

    public void Remove(SimVolume volume, SimArray array)
    {
        if (volume.Pod is { } pod) pod.Volumes.Remove(volume.LeafName);
        else array.Volumes.Remove(volume.LeafName);
        foreach (var pg in array.ProtectionGroups.Values) pg.Members.Remove(volume);
    }
}
