namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>A volume as the storage array behind a site's Cinder backend sees it. <see cref="WriteLog"/>
/// stands for the volume's contents: a test proves which writes a recovered volume holds.</summary>
public sealed record ArrayVolume(string Name, long SizeBytes, bool Connected, IReadOnlyList<string> WriteLog);

/// <summary>The array a site's Cinder backend is bound to. The in-simulator store implements it now;
/// the FlashArray simulator can implement it later so that Cinder and the array share one truth.</summary>
public interface IArrayVolumeStore
{
    ArrayVolume? Find(string name);
    IReadOnlyList<ArrayVolume> List();

    /// <summary>Creates an empty volume; false when the name is taken.</summary>
    bool TryCreate(string name, long sizeBytes);

    /// <summary>Renames a volume; false when the source is missing or the target is taken.</summary>
    bool TryRename(string from, string to);
    bool Delete(string name);
    bool SetConnected(string name, bool connected);
    bool Resize(string name, long sizeBytes);
    bool AppendWrite(string name, string write);

    /// <summary>Puts a volume on the array as a storage plugin's promoted replica would appear: sized,
    /// maybe connected, maybe written to. Replaces a volume of the same name.</summary>
    void Seed(string name, long sizeBytes, bool connected = false, params string[] writes);
}

/// <summary>The array of a site until the FlashArray simulator takes over: volumes by name, thread-safe.</summary>
public sealed class InMemoryArrayVolumeStore : IArrayVolumeStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ArrayVolume> _volumes = new(StringComparer.Ordinal);

    public ArrayVolume? Find(string name) { lock (_gate) return _volumes.GetValueOrDefault(name); }

    public IReadOnlyList<ArrayVolume> List() { lock (_gate) return [.. _volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal)]; }

    public bool TryCreate(string name, long sizeBytes)
    {
        lock (_gate) return _volumes.TryAdd(name, new ArrayVolume(name, sizeBytes, false, []));
    }

    public void Seed(string name, long sizeBytes, bool connected = false, params string[] writes)
    {
        lock (_gate) _volumes[name] = new ArrayVolume(name, sizeBytes, connected, [.. writes]);
    }

    public bool TryRename(string from, string to)
    {
        lock (_gate)
        {
            if (!_volumes.TryGetValue(from, out var v) || _volumes.ContainsKey(to)) return false;
            _volumes.Remove(from);
            _volumes[to] = v with { Name = to };
            return true;
        }
    }

    public bool Delete(string name) { lock (_gate) return _volumes.Remove(name); }

    public bool SetConnected(string name, bool connected) => Update(name, v => v with { Connected = connected });

    public bool Resize(string name, long sizeBytes) => Update(name, v => v with { SizeBytes = sizeBytes });

    public bool AppendWrite(string name, string write) => Update(name, v => v with { WriteLog = [.. v.WriteLog, write] });

    private bool Update(string name, Func<ArrayVolume, ArrayVolume> change)
    {
        lock (_gate)
        {
            if (!_volumes.TryGetValue(name, out var v)) return false;
            _volumes[name] = change(v);
            return true;
        }
    }
}
