namespace Draas.Tests.OpenStack.Support;

/// <summary>
/// A clock whose timers fire at once and move the clock forward by their due time, so backoff,
/// Retry-After and waiter timeouts are tested without sleeping. Records every wait it was asked for.
/// </summary>
public sealed class FastForwardTime(DateTimeOffset start) : TimeProvider
{
    readonly object _gate = new();
    readonly List<TimeSpan> _waits = [];
    DateTimeOffset _now = start;

    public FastForwardTime() : this(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)) { }

    public IReadOnlyList<TimeSpan> Waits { get { lock (_gate) return [.. _waits]; } }

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public void Advance(TimeSpan by) { lock (_gate) _now += by; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _waits.Add(dueTime);
            _now += dueTime;
        }
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NoTimer();
    }

    sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
