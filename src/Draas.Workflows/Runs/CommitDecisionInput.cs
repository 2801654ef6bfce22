namespace Draas.Workflows.Runs;

/// <summary>A manual commit's decision step: seconds after the run awaits it when <paramref name="AutoAction"/>
/// (commit or rollback; rollback when absent) is taken for the person who did not decide.</summary>
public sealed record CommitDecisionInput(int? CommitTimeout = null, string? AutoAction = null);
