namespace Draas.Workflows.Runs.Steps;

/// <summary>The shared secret the service sends its sites' probe agents (<c>[probe] secret</c>, or a file
/// holding it: <c>[probe] secret_file</c>); write-only, never logged. Null: agents that want none.</summary>
public sealed record ProbeClient(string? Secret)
{
    public const string SecretHeader = "X-Probe-Secret";

    public static ProbeClient From(string? secret, string? secretFile) =>
        new(!string.IsNullOrEmpty(secret) ? secret : !string.IsNullOrEmpty(secretFile) && File.Exists(secretFile) ? File.ReadAllText(secretFile).Trim() : null);

    public override string ToString() => "ProbeClient { Secret = *** }";
}
