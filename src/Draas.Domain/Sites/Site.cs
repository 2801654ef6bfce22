namespace Draas.Domain.Sites;

/// <summary>One OpenStack cloud or region the service talks to with its own service credentials.</summary>
public sealed class Site : IEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string AuthUrl { get; set; }
    public string? RegionName { get; set; }
    public string Interface { get; set; } = "public";
    public SiteAuthType AuthType { get; set; } = SiteAuthType.Password;
    public string? Username { get; set; }
    public string UserDomainName { get; set; } = "Default";
    public string? ProjectName { get; set; }
    public string ProjectDomainName { get; set; } = "Default";
    public string? ApplicationCredentialId { get; set; }

    /// <summary>The password or application-credential secret, as Data Protection ciphertext.</summary>
    public required string SecretCiphertext { get; set; }

    public bool VerifyTls { get; set; } = true;

    /// <summary>A probe agent inside the site's network (<c>GET {probe_url}/probe?type=tcp&amp;address=…&amp;port=…</c>):
    /// health checks of recovered servers run from the recovery site's view through it. Null: the service connects itself.</summary>
    public string? ProbeUrl { get; set; }
    public SiteCheck? LastCheck { get; set; }

    /// <summary>Volume imports (Cinder manage) that may run at once at this site, shared by every run that
    /// recovers into it: a site-wide failover of a hundred tenants must not ask Cinder for a thousand at once.</summary>
    public int MaxConcurrentImports { get; set; } = DefaultMaxConcurrent;

    /// <summary>Server boots (Nova builds) that may run at once at this site, shared like the imports.</summary>
    public int MaxConcurrentBoots { get; set; } = DefaultMaxConcurrent;

    public const int DefaultMaxConcurrent = 10;
    public const int MaxConcurrentLimit = 1000;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Concurrency token (PostgreSQL xmin): two writers of one row cannot both win.</summary>
    public uint Version { get; set; }
}

public enum SiteAuthType
{
    Password,
    ApplicationCredential,
}

/// <summary>The outcome of the latest connectivity check of a site (a Hangfire job). <paramref name="ClockSkewSeconds"/>:
/// how far the site's Keystone clock (its token's <c>issued_at</c>) was ahead of the service's (negative: behind), when known.</summary>
public sealed record SiteCheck(DateTimeOffset CheckedAt, bool Ok, string Message, double ElapsedMs, double? ClockSkewSeconds = null);
