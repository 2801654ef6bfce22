namespace Draas.Cli.Auth;

/// <summary>
/// Who draasctl logs in as and where the service is: the merge of a clouds.yaml profile, OS_*
/// variables and command-line options. A class, not a record, so secrets never reach a ToString.
/// </summary>
public sealed class CloudCredentials
{
    /// <summary>Where these came from, for error messages: "OS_* variables" or "cloud 'x' in /path/clouds.yaml".</summary>
    public string Source { get; set; } = "OS_* variables";

    public string? AuthUrl { get; set; }
    public string? AuthType { get; set; }
    public string? Username { get; set; }
    public string? UserId { get; set; }
    public string? Password { get; set; }
    public string? UserDomainName { get; set; }
    public string? UserDomainId { get; set; }
    public string? ProjectName { get; set; }
    public string? ProjectId { get; set; }
    public string? ProjectDomainName { get; set; }
    public string? ProjectDomainId { get; set; }
    public string? ApplicationCredentialId { get; set; }
    public string? ApplicationCredentialName { get; set; }
    public string? ApplicationCredentialSecret { get; set; }
    public string? Token { get; set; }
    public string? RegionName { get; set; }
    public string Interface { get; set; } = "public";

    /// <summary>The DRaaS endpoint when given (--endpoint, DRAAS_ENDPOINT, disaster_recovery_endpoint_override); else the catalog's.</summary>
    public string? Endpoint { get; set; }

    public bool UsesApplicationCredential => ApplicationCredentialSecret is not null || AuthType is "v3applicationcredential";

    public bool UsesToken => Token is not null && (AuthType is null or "token" or "v3token" or "admin_token" or "none");
}
