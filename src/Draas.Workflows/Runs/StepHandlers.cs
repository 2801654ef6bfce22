namespace Draas.Workflows.Runs;

/// <summary>The start-up check that a worker can execute every step kind the planner makes.</summary>
public static class StepHandlers
{
    /// <summary>The kinds of <see cref="RunPlanner.ExecutedKinds"/> no handler takes, and kinds two handlers claim.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<IStepHandler> handlers)
    {
        var kinds = handlers.Select(h => h.Kind).ToList();
        return
        [
            .. RunPlanner.ExecutedKinds.Where(k => !kinds.Contains(k)).Select(k => $"no handler for step kind '{k}'"),
            .. kinds.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => $"{g.Count()} handlers for step kind '{g.Key}'"),
        ];
    }

    public static void EnsureComplete(IEnumerable<IStepHandler> handlers)
    {
        var missing = Missing(handlers);
        if (missing.Count > 0) throw new InvalidOperationException($"the worker cannot run every step the planner makes: {string.Join("; ", missing)}");
    }
}
