namespace Draas.OpenStack.Identity;

/// <summary>The body of a Keystone v3 token ({"token": {…}}), as issued or as validated.</summary>
public sealed record Token
{
    public IReadOnlyList<string> Methods { get; init; } = [];
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public TokenUser User { get; init; } = new();
    public TokenProject? Project { get; init; }
    public NamedRef? Domain { get; init; }
    public IReadOnlyList<NamedRef> Roles { get; init; } = [];
    public IReadOnlyList<CatalogEntry> Catalog { get; init; } = [];
    /// <summary>Absent unless Keystone has an admin project configured; absent means true, as keystonemiddleware reads it.</summary>
    public bool IsAdminProject { get; init; } = true;
    public IReadOnlyList<string> AuditIds { get; init; } = [];
}

public sealed record NamedRef
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
}

public sealed record TokenUser
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public NamedRef? Domain { get; init; }
}

public sealed record TokenProject
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public NamedRef? Domain { get; init; }
}

public sealed record CatalogEntry
{
    public string Type { get; init; } = "";
    public string? Name { get; init; }
    public string? Id { get; init; }
    public IReadOnlyList<CatalogEndpoint> Endpoints { get; init; } = [];
}

public sealed record CatalogEndpoint
{
    public string Url { get; init; } = "";
    public string Interface { get; init; } = "";
    public string? Region { get; init; }
    public string? RegionId { get; init; }
    public string? Id { get; init; }
}
