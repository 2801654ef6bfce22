using Draas.Domain.Runs;

namespace Draas.Tests.Domain;

[TestFixture]
public sealed class RunStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_finished_run_never_moves_again()
    {
        var run = new Run { ProjectId = "p" };
        run.TransitionTo(RunState.Running, Now);
        run.TransitionTo(RunState.Succeeded, Now.AddMinutes(3));

        Assert.That(run.StartedAt, Is.EqualTo(Now));
        Assert.That(run.FinishedAt, Is.EqualTo(Now.AddMinutes(3)));
        foreach (var next in Enum.GetValues<RunState>())
            Assert.Throws<InvalidStateTransitionException>(() => run.TransitionTo(next, Now), next.ToString());
    }

    [Test]
    public void A_failed_run_resumes_in_place_its_deadline_counting_again_and_a_running_one_cannot_be_resumed()
    {
        var run = new Run { ProjectId = "p" };
        run.TransitionTo(RunState.Running, Now);
        run.DeadlineFrom = Now.AddSeconds(2);
        Assert.Throws<InvalidStateTransitionException>(() => run.Resume(Now));
        run.Error = "import_volume v1: quota";
        run.TransitionTo(RunState.Failed, Now.AddMinutes(3));

        run.Resume(Now.AddMinutes(10));

        Assert.That(run.State, Is.EqualTo(RunState.Running));
        Assert.That(run.StartedAt, Is.EqualTo(Now), "the run's RTO still counts from its first start");
        Assert.That(run.DeadlineFrom, Is.Null, "the deadline counts again from the next step");
        Assert.That((run.FinishedAt, run.Error, run.Resumes), Is.EqualTo(((DateTimeOffset?)null, (string?)null, 1)));
    }

    [Test]
    public void A_resumed_runs_skipped_and_cancelled_steps_may_run_again_but_a_succeeded_one_never()
    {
        foreach (var ended in new[] { StepState.Skipped, StepState.Cancelled })
        {
            var step = new Step { Kind = "boot_server" };
            step.TransitionTo(ended, Now);
            step.TransitionTo(StepState.Pending, Now);
            Assert.That(step.State, Is.EqualTo(StepState.Pending));
        }
        var done = new Step { Kind = "promote_volume" };
        done.TransitionTo(StepState.Running, Now);
        done.TransitionTo(StepState.Succeeded, Now);
        Assert.Throws<InvalidStateTransitionException>(() => done.TransitionTo(StepState.Pending, Now));
    }

    [Test]
    public void A_retried_step_counts_its_attempts_and_keeps_its_first_start_time()
    {
        var step = new Step { Kind = "import_volume" };
        step.TransitionTo(StepState.Running, Now);
        step.TransitionTo(StepState.Pending, Now.AddSeconds(5)); // a transient fault: back in the queue
        step.TransitionTo(StepState.Running, Now.AddSeconds(10));
        step.TransitionTo(StepState.Succeeded, Now.AddSeconds(20));

        Assert.That(step.Attempts, Is.EqualTo(2));
        Assert.That(step.StartedAt, Is.EqualTo(Now));
        Assert.That(step.FinishedAt, Is.EqualTo(Now.AddSeconds(20)));
    }

    [Test]
    public void A_pending_step_cannot_succeed_without_running()
    {
        var step = new Step { Kind = "promote_volume" };

        Assert.Throws<InvalidStateTransitionException>(() => step.TransitionTo(StepState.Succeeded, Now));
    }
}
