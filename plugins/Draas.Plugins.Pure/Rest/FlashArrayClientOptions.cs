namespace Draas.Plugins.Pure.Rest;

/// <summary>How one <see cref="FlashArrayClient"/> reaches its array.</summary>
public sealed record FlashArrayClientOptions
{
    /// <summary>The array's name, used in errors and logs (never the token).</summary>
    public required string ArrayName { get; init; }
    /// <summary>Management URL; <c>/api/...</c> is appended (a path prefix is kept, as the simulator uses).</summary>
    public required Uri BaseUrl { get; init; }
    public required string ApiToken { get; init; }
    public bool VerifyTls { get; init; } = true;
    /// <summary>PEM file of the CA that signed the array's certificate, when it is not publicly trusted.</summary>
    public string? CaBundlePath { get; init; }
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Attempts for one call, counting the first; only transient failures are retried.</summary>
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A record would print every property, the token included; this prints where, not how.</summary>
    public override string ToString() => $"{ArrayName} ({BaseUrl})";
}
