using System.Collections.Concurrent;
using Draas.Domain.Manifests;

namespace Draas.Workflows.Runs;

/// <summary>
/// Parsed manifests by id, shared by the steps of the runs this process works on. A manifest row is never
/// changed once written (a new capture is a new row), so a parsed copy stays true; every step of a run used to
/// read and parse its run's manifest again (megabytes for a tenant of thousands of volumes). Bounded: a few
/// dozen manifests, the least recently used go first. Callers must treat the content as read-only.
/// </summary>
public static class ManifestCache
{
    private const int Capacity = 64;
    private static readonly ConcurrentDictionary<Guid, (ManifestContent Content, long Used)> Entries = new();
    private static long _clock;

    public static ManifestContent? Find(Guid id)
    {
        if (!Entries.TryGetValue(id, out var entry)) return null;
        Entries[id] = (entry.Content, Interlocked.Increment(ref _clock));
        return entry.Content;
    }

    public static ManifestContent Add(Guid id, string json)
    {
        var content = ManifestCodec.FromJson(json);
        Entries[id] = (content, Interlocked.Increment(ref _clock));
        while (Entries.Count > Capacity)
        {
            var oldest = Entries.MinBy(e => e.Value.Used).Key;
            Entries.TryRemove(oldest, out _);
        }
        return content;
    }
}
