namespace Draas.Simulators.OpenStack.Core;

/// <summary>Status changes due at a time on the simulator's clock (a volume becomes available, a server
/// ACTIVE). They are applied lazily, under the site's lock, before every read or write of the site's
/// state, so a test that advances a fake clock sees the change on its next request: no timers, no
/// sleeps, and the order of changes is the order of their due times.</summary>
public sealed class Scheduler(TimeProvider clock)
{
    private readonly List<(DateTimeOffset At, long Seq, Action Apply)> _due = [];
    private long _seq;

    public TimeProvider Clock => clock;

    /// <summary>Call with the site's lock held.</summary>
    public void At(TimeSpan delay, Action apply) => AtTime(clock.GetUtcNow() + delay, apply);

    /// <summary>A change due at an absolute time (a queued work's start is its freeing work's due time, not
    /// whenever Settle runs). A time already past is applied by the next Settle, in due-time order. Call
    /// with the site's lock held.</summary>
    public void AtTime(DateTimeOffset at, Action apply) => _due.Add((at, _seq++, apply));

    /// <summary>Applies every change that is due, including changes that applied ones add and that are due
    /// already (each pass re-scans). Call with the site's lock held.</summary>
    public void Settle()
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            var next = -1;
            for (var i = 0; i < _due.Count; i++)
            {
                if (_due[i].At > now) continue;
                if (next < 0 || (_due[i].At, _due[i].Seq).CompareTo((_due[next].At, _due[next].Seq)) < 0) next = i;
            }
            if (next < 0) return;
            var apply = _due[next].Apply;
            _due.RemoveAt(next);
            apply();
        }
    }
}
