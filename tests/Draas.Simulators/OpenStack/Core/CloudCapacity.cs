namespace Draas.Simulators.OpenStack.Core;

/// <summary>A cloud service's own limit on work in flight (Cinder's backend managing volumes, Nova's
/// builds): work beyond <see cref="MaxInFlight"/> is queued, not refused, as a real cloud queues it. Its
/// time runs on the <see cref="Scheduler"/>, so a fake clock decides when it ends. Every member is called
/// with the site's lock held.</summary>
public sealed class CloudCapacity(Scheduler scheduler)
{
    private readonly Queue<(TimeSpan Work, Action Done)> _waiting = new();
    private int _maxInFlight;

    /// <summary>The most work in flight at once; 0 is unlimited. Raising it starts waiting work now.</summary>
    public int MaxInFlight
    {
        get => _maxInFlight;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxInFlight = value;
            StartWaiting(scheduler.Clock.GetUtcNow());
        }
    }

    public int InFlight { get; private set; }
    public int Waiting => _waiting.Count;
    /// <summary>Work started since the site began, queued or not.</summary>
    public long Started { get; private set; }
    public int PeakInFlight { get; private set; }

    /// <summary>Runs <paramref name="done"/> <paramref name="work"/> after the work gets a slot: now when
    /// one is free, else when earlier work ends, first come first served.</summary>
    public void Start(TimeSpan work, Action done)
    {
        _waiting.Enqueue((work, done));
        StartWaiting(scheduler.Clock.GetUtcNow());
    }

    private bool HasSlot => _maxInFlight == 0 || InFlight < _maxInFlight;

    /// <summary>Starts queued work at <paramref name="at"/>: the time its slot became free.</summary>
    private void StartWaiting(DateTimeOffset at)
    {
        while (_waiting.Count > 0 && HasSlot)
        {
            var (work, done) = _waiting.Dequeue();
            InFlight++;
            Started++;
            PeakInFlight = Math.Max(PeakInFlight, InFlight);
            var due = at + work;
            scheduler.AtTime(due, () =>
            {
                InFlight--;
                done();
                StartWaiting(due);
            });
        }
    }
}
