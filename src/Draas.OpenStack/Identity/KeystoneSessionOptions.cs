namespace Draas.OpenStack.Identity;

/// <summary>
/// How a site's service account authenticates (bound from configuration, e.g. [site:NAME] in
/// draas.conf). Password or application credential; scoped to a project or a domain. A class, not
/// a record, so the secrets never show up in a generated ToString.
/// </summary>
public sealed class KeystoneSessionOptions
{
    /// <summary>Keystone's v3 root, e.g. http://keystone:5000/v3 ("/v3" is added when missing, as in clouds.yaml).</summary>
    public string AuthUrl { get; set; } = "";
    public string? Region { get; set; }
    /// <summary>Catalog interface: public, internal or admin.</summary>
    public string Interface { get; set; } = "public";

    public string? Username { get; set; }
    public string? UserId { get; set; }
    public string? UserDomainName { get; set; }
    public string? UserDomainId { get; set; }
    public string? Password { get; set; }

    public string? ApplicationCredentialId { get; set; }
    public string? ApplicationCredentialName { get; set; }
    public string? ApplicationCredentialSecret { get; set; }

    public string? ProjectId { get; set; }
    public string? ProjectName { get; set; }
    public string? ProjectDomainName { get; set; }
    public string? ProjectDomainId { get; set; }
    /// <summary>Domain scope (instead of a project): for listing users and projects across a domain.</summary>
    public string? DomainId { get; set; }
    public string? DomainName { get; set; }

    /// <summary>A token this close to expiry is replaced before use, so a long step never sends a dying token.</summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Agree a microversion with Nova and Cinder before a client's first call (one GET of the version
    /// document per client): a site below the stated minimums is refused with a clear error, and an older one
    /// within range gets its own maximum instead of a 406 on every call.
    /// </summary>
    public bool NegotiateMicroversions { get; set; }

    public bool UsesApplicationCredential => ApplicationCredentialSecret is not null;

    /// <summary>Every problem with these options, each naming its key; empty when they can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(AuthUrl, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            problems.Add($"{nameof(AuthUrl)}: '{AuthUrl}' is not an http(s) URL");
        if (Interface is not ("public" or "internal" or "admin"))
            problems.Add($"{nameof(Interface)}: '{Interface}' is not public, internal or admin");
        if (UsesApplicationCredential)
        {
            if (ApplicationCredentialId is null && ApplicationCredentialName is null)
                problems.Add($"{nameof(ApplicationCredentialId)}: an application credential needs its id or its name");
            if (ApplicationCredentialId is null && UserId is null && (Username is null || (UserDomainName is null && UserDomainId is null)))
                problems.Add($"{nameof(Username)}: an application credential given by name needs its user (id, or name and domain)");
            if (ProjectId is not null || ProjectName is not null || DomainId is not null || DomainName is not null)
                problems.Add($"{nameof(ProjectName)}: an application credential carries its own scope; leave project and domain unset");
        }
        else
        {
            if (Password is null) problems.Add($"{nameof(Password)}: required for password authentication (or set {nameof(ApplicationCredentialSecret)})");
            if (UserId is null && Username is null) problems.Add($"{nameof(Username)}: required (or {nameof(UserId)})");
            if (UserId is null && Username is not null && UserDomainName is null && UserDomainId is null)
                problems.Add($"{nameof(UserDomainName)}: required with {nameof(Username)} (or {nameof(UserDomainId)})");
            if (ProjectName is not null && ProjectId is null && ProjectDomainName is null && ProjectDomainId is null)
                problems.Add($"{nameof(ProjectDomainName)}: required with {nameof(ProjectName)} (or {nameof(ProjectDomainId)})");
            if ((ProjectId ?? ProjectName) is not null && (DomainId ?? DomainName) is not null)
                problems.Add($"{nameof(DomainName)}: a token is scoped to a project or to a domain, not both");
        }
        return problems;
    }
}
