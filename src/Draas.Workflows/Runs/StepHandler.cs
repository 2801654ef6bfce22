namespace Draas.Workflows.Runs;

/// <summary>A handler of one step kind with its typed input (read from the step's stored JSON) and output (stored
/// as the step's output): the records name the fields, so the stored JSON keeps one spelling in one place.</summary>
public abstract class StepHandler<TInput, TOutput> : IStepHandler
    where TInput : class
    where TOutput : class
{
    public abstract string Kind { get; }

    public virtual IReadOnlyList<string> ReadsOutputsOf => [];

    async Task<object?> IStepHandler.ExecuteAsync(StepContext context, CancellationToken ct) => await ExecuteAsync(context, context.InputAs<TInput>(), ct);

    public abstract Task<TOutput> ExecuteAsync(StepContext c, TInput input, CancellationToken ct);
}
