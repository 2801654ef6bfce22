namespace Draas.OpenStack.Identity;

/// <summary>Validates a caller's Keystone token (the API's auth middleware).</summary>
public interface ITokenValidator
{
    /// <summary>
    /// The token's identity, or null when Keystone says it is invalid or expired (404/401).
    /// Throws <see cref="OpenStackException"/> when Keystone cannot answer (outage), so the API
    /// answers 503 rather than 401 and a caller is not told their good token is bad.
    /// </summary>
    Task<ValidatedToken?> ValidateAsync(string subjectToken, CancellationToken ct);
}

/// <summary>Who a validated token speaks for, and what they may reach.</summary>
public sealed record ValidatedToken
{
    public required string UserId { get; init; }
    public string? UserName { get; init; }
    public string? UserDomainId { get; init; }
    public string? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public string? ProjectDomainId { get; init; }
    /// <summary>Set for a domain-scoped token.</summary>
    public string? DomainId { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [];
    public DateTimeOffset ExpiresAt { get; init; }
    public bool IsAdminProject { get; init; }
    public IReadOnlyList<CatalogEntry> Catalog { get; init; } = [];

    public static ValidatedToken From(Token token) => new()
    {
        UserId = token.User.Id,
        UserName = token.User.Name,
        UserDomainId = token.User.Domain?.Id,
        ProjectId = token.Project?.Id,
        ProjectName = token.Project?.Name,
        ProjectDomainId = token.Project?.Domain?.Id,
        DomainId = token.Domain?.Id,
        Roles = token.Roles.Select(r => r.Name ?? r.Id).ToList(),
        ExpiresAt = token.ExpiresAt,
        IsAdminProject = token.IsAdminProject,
        Catalog = token.Catalog,
    };
}
