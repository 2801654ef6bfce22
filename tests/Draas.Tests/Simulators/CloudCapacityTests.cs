using Draas.Simulators.OpenStack.Core;

namespace Draas.Tests.Simulators;

/// <summary>A service's limited in-flight work on the simulator's clock: queued work starts when a slot
/// frees, at the time the freeing work was due, however late the clock is read.</summary>
public sealed class CloudCapacityTests
{
    [Test]
    public void QueuedWork_StartsAtTheDueTimeOfTheWorkThatFreedItsSlot_NotWhenTheClockIsNextRead()
    {
        var clock = new ManualClock();
        var scheduler = new Scheduler(clock);
        var capacity = new CloudCapacity(scheduler) { MaxInFlight = 1 };
        var done = new List<string>();

        capacity.Start(TimeSpan.FromSeconds(10), () => done.Add("first"));
        capacity.Start(TimeSpan.FromSeconds(10), () => done.Add("second"));
        capacity.Start(TimeSpan.FromSeconds(10), () => done.Add("third"));
        Assert.That((capacity.InFlight, capacity.Waiting), Is.EqualTo((1, 2)));

        // One read at +25 s: the second started at +10 s (when the first was due) and ended at +20 s.
        clock.Advance(TimeSpan.FromSeconds(25));
        scheduler.Settle();

        Assert.That(done, Is.EqualTo(new[] { "first", "second" }));
        Assert.That((capacity.InFlight, capacity.Waiting, capacity.Started, capacity.PeakInFlight), Is.EqualTo((1, 0, 3L, 1)));
        clock.Advance(TimeSpan.FromSeconds(5));
        scheduler.Settle();
        Assert.That(done, Is.EqualTo(new[] { "first", "second", "third" }), "the third ended at +30 s");
    }

    [Test]
    public void NoLimit_StartsEverythingAtOnce()
    {
        var clock = new ManualClock();
        var scheduler = new Scheduler(clock);
        var capacity = new CloudCapacity(scheduler);
        var done = 0;

        for (var i = 0; i < 5; i++) capacity.Start(TimeSpan.FromSeconds(10), () => done++);
        clock.Advance(TimeSpan.FromSeconds(10));
        scheduler.Settle();

        Assert.That((done, capacity.PeakInFlight, capacity.Waiting), Is.EqualTo((5, 5, 0)));
    }

    [Test]
    public void RaisingTheLimit_StartsWaitingWorkNow()
    {
        var clock = new ManualClock();
        var scheduler = new Scheduler(clock);
        var capacity = new CloudCapacity(scheduler) { MaxInFlight = 1 };
        var done = 0;
        capacity.Start(TimeSpan.FromSeconds(10), () => done++);
        capacity.Start(TimeSpan.FromSeconds(10), () => done++);

        clock.Advance(TimeSpan.FromSeconds(2));
        capacity.MaxInFlight = 2;
        clock.Advance(TimeSpan.FromSeconds(10));
        scheduler.Settle();

        Assert.That(done, Is.EqualTo(2), "the second started at +2 s and ended at +12 s");
    }

    [Test]
    public void AtTime_InThePast_IsAppliedByTheNextSettle_AndChangesItAddsThatAreDueToo()
    {
        var clock = new ManualClock();
        var scheduler = new Scheduler(clock);
        var applied = new List<string>();

        scheduler.AtTime(clock.GetUtcNow() - TimeSpan.FromSeconds(1), () =>
        {
            applied.Add("past");
            scheduler.At(TimeSpan.Zero, () => applied.Add("added"));
        });
        scheduler.Settle();

        Assert.That(applied, Is.EqualTo(new[] { "past", "added" }));
    }
}
