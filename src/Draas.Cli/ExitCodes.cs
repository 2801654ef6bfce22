namespace Draas.Cli;

/// <summary>What a script can rely on.</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>run watch</c>, the run succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The service or the run failed: 403, 409, 5xx, no answer, a run that ended failed or cancelled.</summary>
    public const int Failure = 1;

    /// <summary>The caller's mistake: usage, malformed input, an unknown resource (400, 404), no or rejected credentials (401).</summary>
    public const int Usage = 2;
}
