namespace Draas.Api.Auth;

/// <summary>Asks Keystone whether a caller's token is valid and whose it is.</summary>
public interface ITokenValidator
{
    /// <returns>The token's facts, or null when Keystone says it is invalid or expired.</returns>
    /// <exception cref="KeystoneUnavailableException">Keystone could not be asked.</exception>
    Task<ValidatedToken?> ValidateAsync(string subjectToken, CancellationToken ct);
}

public sealed record ValidatedToken(
    string UserId,
    string? UserName,
    string? ProjectId,
    string? ProjectName,
    string? ProjectDomainId,
    IReadOnlyList<string> Roles,
    DateTimeOffset ExpiresAt);

public sealed class KeystoneUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
