namespace Draas.Simulators.FlashArray.Model;

/// <summary>One write to a volume: its place in the simulator-wide order, when, what, and how big.</summary>
public sealed record Write(long Seq, DateTimeOffset At, string Data, long Bytes);

/// <summary>A volume's contents as a write log, so a test can prove which writes a copy holds.</summary>
public sealed class Contents
{
    private readonly List<Write> _writes;

    public Contents(IEnumerable<Write>? writes = null) => _writes = writes?.ToList() ?? [];

    public IReadOnlyList<Write> Writes => _writes;
    public long Bytes => _writes.Sum(w => w.Bytes);

    public void Append(Write write) => _writes.Add(write);

    /// <summary>A point-in-time copy; with <paramref name="upTo"/>, only the writes made by then.</summary>
    public Contents Copy(DateTimeOffset? upTo = null) =>
        new(upTo is { } t ? _writes.Where(w => w.At <= t) : _writes);

    public void ReplaceWith(Contents other)
    {
        _writes.Clear();
        _writes.AddRange(other._writes);
    }
}
