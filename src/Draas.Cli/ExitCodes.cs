namespace Draas.Cli;

/// <summary>What a script can rely on.</summary>
public static class ExitCodes
{
    /// <summary>Done; for <c>run watch</c>, the run succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The service failed: 403, 409, 5xx, no answer.</summary>
    public const int Failure = 1;

    /// <summary><c>run watch</c> and <c>run create --watch</c>: the service answered, and the run ended failed, cancelled or rolled back.</summary>
    public const int RunFailed = 3;

    /// <summary><c>run watch</c>: the run waits for a person (<c>awaiting_approval</c>: approve or cancel it; <c>awaiting_commit</c>:
    /// commit or roll it back), then watch again.</summary>
    public const int AwaitingDecision = 4;

    /// <summary>The caller's mistake: usage, malformed input, an unknown resource (400, 404), no or rejected credentials (401).</summary>
    public const int Usage = 2;
}
