namespace Draas.OpenStack.Identity;

public sealed record Project
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? DomainId { get; init; }
    public string? Description { get; init; }
    public bool Enabled { get; init; } = true;
    public string? ParentId { get; init; }
    public bool IsDomain { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>POST /v3/projects; the recovery project a drill or failover runs in.</summary>
public sealed record CreateProjectOptions
{
    public required string Name { get; init; }
    public string? DomainId { get; init; }
    public string? Description { get; init; }
    public bool? Enabled { get; init; }
    public string? ParentId { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

public sealed record ProjectListOptions
{
    public string? Name { get; init; }
    public string? DomainId { get; init; }
    public bool? Enabled { get; init; }
    public string? Tags { get; init; }
}

public sealed record User
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? DomainId { get; init; }
    public bool Enabled { get; init; } = true;
    public string? DefaultProjectId { get; init; }
    public string? Email { get; init; }
}

public sealed record Role
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? DomainId { get; init; }
}

/// <summary>One row of GET /v3/role_assignments.</summary>
public sealed record RoleAssignment
{
    public NamedRef Role { get; init; } = new();
    public NamedRef? User { get; init; }
    public NamedRef? Group { get; init; }
    public AssignmentScope Scope { get; init; } = new();
}

public sealed record AssignmentScope
{
    public NamedRef? Project { get; init; }
    public NamedRef? Domain { get; init; }
}
