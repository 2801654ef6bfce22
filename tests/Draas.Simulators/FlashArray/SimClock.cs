using System.Diagnostics;

namespace Draas.Simulators.FlashArray;

/// <summary>
/// The simulators' clock, a <see cref="TimeProvider"/> so the code under test can share it. Time runs at
/// <c>acceleration</c> times real time (0 stops it) and jumps forward on <see cref="Advance"/>; timers
/// (and so <c>Task.Delay(span, clock)</c>) fire by simulated time, so an hourly schedule takes seconds.
/// </summary>
public sealed class SimClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly DateTimeOffset _start;
    private readonly long _startTicks = Stopwatch.GetTimestamp();
    private readonly List<SimTimer> _timers = [];
    private TimeSpan _jumped;

    public SimClock(DateTimeOffset start, double acceleration)
    {
        _start = start;
        Acceleration = acceleration;
    }

    public double Acceleration { get; }

    public override DateTimeOffset GetUtcNow()
    {
        var real = Stopwatch.GetElapsedTime(_startTicks);
        lock (_gate) return _start + _jumped + real * Acceleration;
    }

    /// <summary>Jumps forward; every timer now due fires.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        lock (_gate) _jumped += by;
        Advanced?.Invoke();
        SimTimer[] timers;
        lock (_gate) timers = [.. _timers];
        foreach (var timer in timers) timer.FireIfDue();
    }

    /// <summary>Raised after each <see cref="Advance"/>, so the simulator catches up at once.</summary>
    public event Action? Advanced;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(SimTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    /// <summary>A timer due at a simulated instant: a real timer wakes it about then, and
    /// <see cref="Advance"/> wakes it early when a jump passes its due time.</summary>
    private sealed class SimTimer(SimClock clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly object _gate = new();
        private Timer? _real;
        private DateTimeOffset? _due;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _period = period;
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
                Arm();
            }
            if (dueTime == TimeSpan.Zero) FireIfDue();
            return true;
        }

        public void FireIfDue()
        {
            lock (_gate)
            {
                if (_due is not { } due || clock.GetUtcNow() < due) { Arm(); return; }
                _due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : due + _period;
                Arm();
            }
            callback(state);
        }

        private void Arm()
        {
            _real ??= new Timer(_ => FireIfDue());
            if (_due is not { } due || clock.Acceleration <= 0) { _real.Change(Timeout.Infinite, Timeout.Infinite); return; }
            var wait = (due - clock.GetUtcNow()) / clock.Acceleration;
            if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
            _real.Change(wait, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            lock (_gate) { _due = null; _real?.Dispose(); }
            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
