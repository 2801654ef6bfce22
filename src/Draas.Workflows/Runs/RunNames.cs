namespace Draas.Workflows.Runs;

/// <summary>The names a run gives what it creates, deterministic so a retry finds its own earlier work.</summary>
public static class RunNames
{
    public const string RunKey = "draas:run";
    public const string SourceKey = "draas:source";

    /// <summary>The metadata that marks a server or volume as this run's copy of <paramref name="sourceId"/>.</summary>
    public static Dictionary<string, string> Mark(IReadOnlyDictionary<string, string> original, string runMark, string sourceId) =>
        new(original) { [RunKey] = runMark, [SourceKey] = sourceId };

    /// <summary>Whether a server's or volume's metadata marks it as made by the run (and, given, as the copy of that source).</summary>
    public static bool IsMine(IReadOnlyDictionary<string, string> metadata, string runMark, string? sourceId = null) =>
        metadata.GetValueOrDefault(RunKey) == runMark && (sourceId is null || metadata.GetValueOrDefault(SourceKey) == sourceId);

    /// <summary>Neutron objects carry no metadata: the run's mark goes in their description, so a retry finds them.</summary>
    public static string NeutronMark(string runMark, string sourceId) => $"{RunKey}={runMark} {SourceKey}={sourceId}";

    /// <summary>Whether a Neutron object's description carries the run's mark (<see cref="NeutronMark"/>).</summary>
    public static bool IsMarked(string? description, string runMark) =>
        description?.StartsWith($"{RunKey}={runMark} ", StringComparison.Ordinal) == true;

    /// <summary>A drill's project, flavors and keypairs carry this prefix, so cleanup finds them even after a crash.</summary>
    public static string DrillPrefix(Guid runId) => $"{DrillProjectPrefix}{runId.ToString("N")[..8]}";

    /// <summary>What every drill's project, flavor and keypair name starts with.</summary>
    public const string DrillProjectPrefix = "draas-drill-";

    /// <summary>The run id the plugin uses to name promoted copies.</summary>
    public static string ArrayRunId(Guid runId) => runId.ToString("N")[..12];
}
