using Draas.Simulators.FlashArray;
using Draas.Simulators.FlashArray.Http;
using Draas.Simulators.FlashArray.Model;
using Draas.Simulators.OpenStack.BlockStorage;

namespace Draas.Simulators.Lab;

/// <summary>
/// A site's Cinder backend driving one array of the FlashArray simulator, in process: what Cinder does to
/// a volume (create, rename, extend, delete, attach) happens to the array's own volume, and a guest write
/// lands in that volume's write log, so replication, the Pure plugin and the REST API all see it.
/// Every call takes the simulator's one lock and first lets the replication engine catch up to "now",
/// exactly as an HTTP request does, so a write is never ordered before a snapshot that was already due.
/// </summary>
public sealed class FlashArrayVolumeStore : IArrayVolumeStore
{
    /// <summary>What the Pure driver and the simulator's admin API count a write as when no size is given.</summary>
    public const long DefaultWriteBytes = 1L << 20;

    private readonly SimWorld _world;
    private readonly ReplicationEngine _engine;
    private readonly string _arrayName;

    // Host connections are not part of the FlashArray model; kept here per volume object (not per name) so
    // the flag follows a rename and disappears with the volume. Guarded by the world's lock.
    private readonly HashSet<SimVolume> _connected = new(ReferenceEqualityComparer.Instance);

    internal FlashArrayVolumeStore(FlashArraySimulator arrays, string arrayName)
    {
        _world = arrays.World;
        _engine = arrays.Engine;
        _arrayName = arrayName;
        _ = _world.Array(arrayName);
    }

    public string ArrayName => _arrayName;

    public ArrayVolume? Find(string name) => Locked(array => Resolve(array, name) is { } v ? View(v) : null);

    public IReadOnlyList<ArrayVolume> List() => Locked(array =>
        (IReadOnlyList<ArrayVolume>)[.. array.AllVolumes.Where(v => !v.Destroyed).OrderBy(v => v.Name, StringComparer.Ordinal).Select(View)]);

    public bool TryCreate(string name, long sizeBytes) => Locked(array =>
    {
        if (!Valid(name) || _world.FindVolume(array, name) is not null) return false;
        _world.Place(array, name, _world.NewVolume(name, Provisioned(sizeBytes), new Contents(), source: null));
        return true;
    });

    public bool TryRename(string from, string to) => Locked(array =>
    {
        if (Resolve(array, from) is not { } volume || !Valid(to) || _world.FindVolume(array, to) is not null) return false;
        // Like PATCH /volumes {"name"}: the volume leaves its pod (if any) and keeps its group memberships.
        if (volume.Pod is { } pod) pod.Volumes.Remove(volume.LeafName); else array.Volumes.Remove(volume.LeafName);
        volume.LeafName = to;
        volume.Pod = null;
        _world.Place(array, to, volume);
        return true;
    });

    /// <summary>The Pure driver's delete with its default <c>pure_eradicate_on_delete = False</c>: the
    /// volume is destroyed (recoverable for a day on a real array), not eradicated.</summary>
    public bool Delete(string name) => Locked(array =>
    {
        if (Resolve(array, name) is not { } volume) return false;
        volume.Destroyed = true;
        volume.DestroyedAt = _world.Clock.GetUtcNow();
        _connected.Remove(volume);
        return true;
    });

    public bool SetConnected(string name, bool connected) => Locked(array =>
    {
        if (Resolve(array, name) is not { } volume) return false;
        if (connected) _connected.Add(volume); else _connected.Remove(volume);
        return true;
    });

    public bool Resize(string name, long sizeBytes) => Locked(array =>
    {
        if (Resolve(array, name) is not { } volume || sizeBytes < volume.Provisioned) return false;
        volume.Provisioned = Provisioned(sizeBytes);
        return true;
    });

    public bool AppendWrite(string name, string write) => Locked(array =>
    {
        // A read-only volume (an array that is down, a demoted pod) takes no writes, as the admin API refuses them.
        if (array.Down || Resolve(array, name) is not { } volume || volume.Pod is { PromotionStatus: not "promoted" }) return false;
        volume.Data.Append(new Write(_world.NextSeq(), _world.Clock.GetUtcNow(), write, DefaultWriteBytes));
        return true;
    });

    public void Seed(string name, long sizeBytes, bool connected = false, params string[] writes) => Locked(array =>
    {
        if (!Valid(name)) throw new ArgumentException($"'{name}' is not a valid Purity volume name", nameof(name));
        if (_world.FindVolume(array, name) is { } old) _world.Remove(old, array);
        var now = _world.Clock.GetUtcNow();
        var data = new Contents(writes.Select(w => new Write(_world.NextSeq(), now, w, DefaultWriteBytes)));
        var volume = _world.NewVolume(name, Provisioned(sizeBytes), data, source: null);
        _world.Place(array, name, volume);
        if (connected) _connected.Add(volume);
        return true;
    });

    /// <summary>A name as Cinder knows it; a volume the plugin moved into a pod (<c>pod::name</c>) is still found by its leaf name.</summary>
    private SimVolume? Resolve(SimArray array, string name)
    {
        var volume = _world.FindVolume(array, name)
            ?? (name.Contains("::", StringComparison.Ordinal) ? null : array.Pods.Values.Select(p => p.Volumes.GetValueOrDefault(name)).FirstOrDefault(v => v is not null));
        return volume is { Destroyed: false } ? volume : null;
    }

    private ArrayVolume View(SimVolume v) => new(v.Name, v.Provisioned, _connected.Contains(v), [.. v.Data.Writes.Select(w => w.Data)]);

    /// <summary>Purity's naming rule; Cinder's names never point into a pod.</summary>
    private static bool Valid(string name)
    {
        if (name.Contains("::", StringComparison.Ordinal)) return false;
        try
        {
            Ctx.ValidName(name, "volume");
            return true;
        }
        catch (SimError)
        {
            return false;
        }
    }

    /// <summary>Purity sizes are multiples of 512 bytes.</summary>
    private static long Provisioned(long bytes) => Math.Max(512, (bytes + 511) / 512 * 512);

    private T Locked<T>(Func<SimArray, T> act)
    {
        lock (_world.Gate)
        {
            _engine.CatchUp();
            return act(_world.Array(_arrayName));
        }
    }
}
