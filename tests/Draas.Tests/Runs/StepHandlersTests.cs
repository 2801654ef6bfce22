using System.Runtime.CompilerServices;
using Draas.Workflows.Runs;

namespace Draas.Tests.Runs;

/// <summary>
/// A step kind the planner makes and no worker can execute would fail a real failover at that step. The
/// worker checks its handlers when it starts; these prove the check sees a missing and a doubled kind, and
/// that the product's own handlers cover every kind exactly once.
/// </summary>
[TestFixture]
public sealed class StepHandlersTests
{
    private sealed class Handler(string kind) : IStepHandler
    {
        public string Kind => kind;

        public IReadOnlyList<string> ReadsOutputsOf => [];

        public Task<object?> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<object?>(null);
    }

    /// <summary>One instance of every handler class the product has (their Kind reads no injected state).</summary>
    private static List<IStepHandler> ProductHandlers() =>
        [.. typeof(RunPlanner).Assembly.GetTypes()
            .Where(t => typeof(IStepHandler).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (IStepHandler)RuntimeHelpers.GetUninitializedObject(t))];

    [Test]
    public void Every_step_kind_a_worker_executes_has_exactly_one_handler_in_the_product()
    {
        Assert.That(StepHandlers.Missing(ProductHandlers()), Is.Empty);
        Assert.That(ProductHandlers().Select(h => h.Kind), Is.EquivalentTo(RunPlanner.ExecutedKinds), "no handler for a kind the planner never makes");
        Assert.That(RunPlanner.ExecutedKinds.Intersect(RunPlanner.DecidedKinds), Is.Empty, "a person's decision is never claimed by a worker");
    }

    [Test]
    public void A_worker_without_a_handler_for_a_kind_refuses_to_start_and_names_it()
    {
        var handlers = ProductHandlers().Where(h => h.Kind != CommitDecisions.RollbackStep).Append(new Handler(RunPlanner.Preflight)).ToList();
        var refusal = Assert.Throws<InvalidOperationException>(() => StepHandlers.EnsureComplete(handlers))!;
        Assert.That(refusal.Message, Does.Contain("no handler for step kind 'rollback'").And.Contain("2 handlers for step kind 'preflight'"));
    }
}
