namespace Draas.Simulators.OpenStack.Identity;

public sealed class Project
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string DomainId { get; init; } = IdentityStore.DefaultDomainId;
    public string Description { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public List<string> Tags { get; } = [];
}

public sealed class User
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public string DomainId { get; init; } = IdentityStore.DefaultDomainId;
    public required string Password { get; set; }
    public string? DefaultProjectId { get; set; }
    public string? Email { get; set; }
    public bool Enabled { get; set; } = true;
}

public sealed record Role(string Id, string Name);

public sealed record RoleAssignment(string UserId, string ProjectId, string RoleId);

public sealed class ApplicationCredential
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Secret { get; init; }
    public required string UserId { get; init; }
    public required string ProjectId { get; init; }
    public required IReadOnlyList<Role> Roles { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool Unrestricted { get; init; }
}

/// <summary>An issued token. Roles are fixed at issue time, like Keystone's fernet tokens carry them.</summary>
public sealed class Token
{
    public required string Id { get; init; }
    public required User User { get; init; }
    public Project? Project { get; init; }
    public required IReadOnlyList<Role> Roles { get; init; }
    public required IReadOnlyList<string> Methods { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string AuditId { get; init; }
    public ApplicationCredential? ApplicationCredential { get; init; }
    public bool Revoked { get; set; }

    public bool HasRole(string name) => Roles.Any(r => r.Name == name);
    public bool IsAdmin => HasRole(IdentityStore.AdminRole);

    /// <summary>Member or admin: may change things in its project. A reader only reads.</summary>
    public bool CanWrite => IsAdmin || HasRole(IdentityStore.MemberRole);
}
