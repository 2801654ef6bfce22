namespace Draas.Storage;

/// <summary>How to reach one array's management API. The API token is a secret: it is redacted from
/// <see cref="ToString"/> so a log line or an exception message can never carry it.</summary>
public sealed record ArrayRef(
    string Name,
    Uri ManagementUrl,
    string ApiToken,
    bool VerifyTls = true,
    string? CaBundlePath = null)
{
    public override string ToString() => $"{Name} ({ManagementUrl})";
}
