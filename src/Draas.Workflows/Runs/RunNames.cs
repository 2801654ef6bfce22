namespace Draas.Workflows.Runs;

/// <summary>The names a run gives what it creates, deterministic so a retry finds its own earlier work.</summary>
public static class RunNames
{
    public const string RunKey = "draas:run";
    public const string SourceKey = "draas:source";

    /// <summary>A drill's project, flavors and keypairs carry this prefix, so cleanup finds them even after a crash.</summary>
    public static string DrillPrefix(Guid runId) => $"draas-drill-{runId.ToString("N")[..8]}";

    /// <summary>The run id the plugin uses to name promoted copies.</summary>
    public static string ArrayRunId(Guid runId) => runId.ToString("N")[..12];
}
