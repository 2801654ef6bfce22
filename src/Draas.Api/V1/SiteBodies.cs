using Draas.Domain.Sites;

namespace Draas.Api.V1;

/// <summary><c>{"site": {...}}</c> as sent to create or update a site. Secrets are write-only.</summary>
public sealed record SiteBody(SiteFields? Site);

public sealed record SiteFields(
    string? Name = null,
    string? Description = null,
    string? AuthUrl = null,
    string? RegionName = null,
    string? Interface = null,
    string? AuthType = null,
    string? Username = null,
    string? UserDomainName = null,
    string? ProjectName = null,
    string? ProjectDomainName = null,
    string? Password = null,
    string? ApplicationCredentialId = null,
    string? ApplicationCredentialSecret = null,
    bool? VerifyTls = null,
    string? ProbeUrl = null,
    int? MaxConcurrentImports = null,
    int? MaxConcurrentBoots = null);

/// <summary>A site as the API shows it: never the credential.</summary>
public sealed record SiteView(
    Guid Id,
    string Name,
    string? Description,
    string AuthUrl,
    string? RegionName,
    string Interface,
    string AuthType,
    string? Username,
    string UserDomainName,
    string? ProjectName,
    string ProjectDomainName,
    string? ApplicationCredentialId,
    bool VerifyTls,
    string? ProbeUrl,
    int MaxConcurrentImports,
    int MaxConcurrentBoots,
    SiteCheck? LastCheck,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string PasswordAuth = "password";
    public const string ApplicationCredentialAuth = "v3applicationcredential";

    public static SiteView Of(Site s) => new(
        s.Id, s.Name, s.Description, s.AuthUrl, s.RegionName, s.Interface,
        s.AuthType == SiteAuthType.ApplicationCredential ? ApplicationCredentialAuth : PasswordAuth,
        s.Username, s.UserDomainName, s.ProjectName, s.ProjectDomainName, s.ApplicationCredentialId, s.VerifyTls,
        s.ProbeUrl, s.MaxConcurrentImports, s.MaxConcurrentBoots, s.LastCheck, s.CreatedAt, s.UpdatedAt);
}
