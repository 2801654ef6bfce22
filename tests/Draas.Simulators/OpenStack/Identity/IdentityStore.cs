using System.Security.Cryptography;

namespace Draas.Simulators.OpenStack.Identity;

/// <summary>One site's Keystone state: projects, users, roles, assignments, application credentials and
/// tokens. Every method takes the store's lock, so parallel requests see a consistent identity.</summary>
public sealed class IdentityStore(TimeProvider clock, TimeSpan tokenLifetime)
{
    public const string DefaultDomainId = "default";
    public const string DefaultDomainName = "Default";
    public const string AdminRole = "admin";
    public const string MemberRole = "member";
    public const string ReaderRole = "reader";

    private readonly object _gate = new();
    private readonly Dictionary<string, Project> _projects = [];
    private readonly Dictionary<string, User> _users = [];
    private readonly Dictionary<string, Role> _roles = [];
    private readonly HashSet<RoleAssignment> _assignments = [];
    private readonly Dictionary<string, ApplicationCredential> _appCreds = [];
    private readonly Dictionary<string, Token> _tokens = [];

    public static string NewId() => Guid.NewGuid().ToString("N");

    public void SeedRoles()
    {
        lock (_gate)
        {
            foreach (var name in new[] { AdminRole, MemberRole, ReaderRole, "service" })
            {
                if (!_roles.Values.Any(r => r.Name == name))
                {
                    var role = new Role(NewId(), name);
                    _roles[role.Id] = role;
                }
            }
        }
    }

    public Project CreateProject(string name, string description = "")
    {
        lock (_gate)
        {
            if (_projects.Values.Any(p => p.Name == name))
                throw new IdentityConflictException($"Duplicate entry found with name {name} at domain ID {DefaultDomainId}.");
            var project = new Project { Id = NewId(), Name = name, Description = description };
            _projects[project.Id] = project;
            return project;
        }
    }

    public User CreateUser(string name, string password, string? defaultProjectId = null, string? email = null)
    {
        lock (_gate)
        {
            if (_users.Values.Any(u => u.Name == name))
                throw new IdentityConflictException($"Duplicate entry found with name {name} at domain ID {DefaultDomainId}.");
            var user = new User { Id = NewId(), Name = name, Password = password, DefaultProjectId = defaultProjectId, Email = email };
            _users[user.Id] = user;
            return user;
        }
    }

    public void Grant(string userId, string projectId, string roleName)
    {
        lock (_gate)
        {
            var role = _roles.Values.FirstOrDefault(r => r.Name == roleName)
                ?? throw new KeyNotFoundException($"Could not find role: {roleName}.");
            _assignments.Add(new RoleAssignment(userId, projectId, role.Id));
        }
    }

    public bool GrantById(string userId, string projectId, string roleId)
    {
        lock (_gate)
        {
            if (!_users.ContainsKey(userId) || !_projects.ContainsKey(projectId) || !_roles.ContainsKey(roleId)) return false;
            _assignments.Add(new RoleAssignment(userId, projectId, roleId));
            return true;
        }
    }

    public bool RevokeById(string userId, string projectId, string roleId)
    {
        lock (_gate) return _assignments.Remove(new RoleAssignment(userId, projectId, roleId));
    }

    public Project? FindProject(string idOrName)
    {
        lock (_gate)
            return _projects.GetValueOrDefault(idOrName) ?? _projects.Values.FirstOrDefault(p => p.Name == idOrName);
    }

    public User? FindUser(string idOrName)
    {
        lock (_gate)
            return _users.GetValueOrDefault(idOrName) ?? _users.Values.FirstOrDefault(u => u.Name == idOrName);
    }

    public Role? FindRole(string idOrName)
    {
        lock (_gate)
            return _roles.GetValueOrDefault(idOrName) ?? _roles.Values.FirstOrDefault(r => r.Name == idOrName);
    }

    public IReadOnlyList<Project> Projects() { lock (_gate) return [.. _projects.Values.OrderBy(p => p.Name)]; }
    public IReadOnlyList<User> Users() { lock (_gate) return [.. _users.Values.OrderBy(u => u.Name)]; }
    public IReadOnlyList<Role> Roles() { lock (_gate) return [.. _roles.Values.OrderBy(r => r.Name)]; }
    public IReadOnlyList<RoleAssignment> Assignments() { lock (_gate) return [.. _assignments]; }

    public bool DeleteProject(string id) { lock (_gate) return _projects.Remove(id); }

    public bool DeleteUser(string id)
    {
        lock (_gate)
        {
            _assignments.RemoveWhere(a => a.UserId == id);
            return _users.Remove(id);
        }
    }

    /// <summary>Roles on a project with Keystone's default implied roles added: admin implies member,
    /// member implies reader.</summary>
    public IReadOnlyList<Role> EffectiveRoles(string userId, string projectId)
    {
        lock (_gate)
        {
            var names = _assignments.Where(a => a.UserId == userId && a.ProjectId == projectId)
                .Select(a => _roles[a.RoleId].Name).ToHashSet();
            if (names.Contains(AdminRole)) names.Add(MemberRole);
            if (names.Contains(MemberRole)) names.Add(ReaderRole);
            return [.. _roles.Values.Where(r => names.Contains(r.Name)).OrderBy(r => r.Name)];
        }
    }

    public ApplicationCredential CreateApplicationCredential(User user, Project project, string name,
        string? secret, string? description, DateTimeOffset? expiresAt, IReadOnlyList<Role>? roles, bool unrestricted)
    {
        lock (_gate)
        {
            if (_appCreds.Values.Any(a => a.UserId == user.Id && a.Name == name))
                throw new IdentityConflictException($"Duplicate entry found with name {name}.");
            var effective = EffectiveRoles(user.Id, project.Id);
            var chosen = roles is { Count: > 0 }
                ? [.. effective.Where(r => roles.Any(x => x.Id == r.Id || x.Name == r.Name))]
                : effective;
            var cred = new ApplicationCredential
            {
                Id = NewId(),
                Name = name,
                UserId = user.Id,
                ProjectId = project.Id,
                Secret = secret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
                Roles = chosen,
                Description = description,
                ExpiresAt = expiresAt,
                Unrestricted = unrestricted,
            };
            _appCreds[cred.Id] = cred;
            return cred;
        }
    }

    public IReadOnlyList<ApplicationCredential> ApplicationCredentials(string userId)
    {
        lock (_gate) return [.. _appCreds.Values.Where(a => a.UserId == userId)];
    }

    public bool DeleteApplicationCredential(string id)
    {
        lock (_gate)
        {
            foreach (var t in _tokens.Values.Where(t => t.ApplicationCredential?.Id == id)) t.Revoked = true;
            return _appCreds.Remove(id);
        }
    }

    /// <summary>Password auth. Returns null when the user or password is wrong (Keystone answers 401 and
    /// says no more). A project scope needs at least one role on the project.</summary>
    public AuthOutcome AuthenticatePassword(string? userId, string? userName, string password, string? projectIdOrName)
    {
        lock (_gate)
        {
            var user = userId is not null ? _users.GetValueOrDefault(userId) : _users.Values.FirstOrDefault(u => u.Name == userName);
            if (user is null || !user.Enabled || !CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(user.Password), System.Text.Encoding.UTF8.GetBytes(password)))
                return AuthOutcome.Unauthorized("The request you have made requires authentication.");
            Project? project = null;
            if (projectIdOrName is not null)
            {
                project = _projects.GetValueOrDefault(projectIdOrName) ?? _projects.Values.FirstOrDefault(p => p.Name == projectIdOrName);
                if (project is null) return AuthOutcome.Unauthorized($"Could not find project: {projectIdOrName}.");
            }
            else if (user.DefaultProjectId is not null)
            {
                project = _projects.GetValueOrDefault(user.DefaultProjectId);
            }
            var roles = project is null ? [] : EffectiveRoles(user.Id, project.Id);
            if (project is not null && roles.Count == 0)
                return AuthOutcome.Unauthorized($"User {user.Id} has no access to project {project.Id}");
            return AuthOutcome.Ok(Issue(user, project, roles, ["password"], null));
        }
    }

    public AuthOutcome AuthenticateApplicationCredential(string? id, string? name, string? userId, string? userName, string secret)
    {
        lock (_gate)
        {
            ApplicationCredential? cred = id is not null ? _appCreds.GetValueOrDefault(id) : null;
            if (cred is null && name is not null)
            {
                var user = userId is not null ? _users.GetValueOrDefault(userId) : _users.Values.FirstOrDefault(u => u.Name == userName);
                cred = user is null ? null : _appCreds.Values.FirstOrDefault(a => a.UserId == user.Id && a.Name == name);
            }
            if (cred is null || cred.Secret != secret || (cred.ExpiresAt is { } exp && exp <= clock.GetUtcNow()))
                return AuthOutcome.Unauthorized("The request you have made requires authentication.");
            var owner = _users[cred.UserId];
            var project = _projects.GetValueOrDefault(cred.ProjectId);
            if (project is null) return AuthOutcome.Unauthorized("The application credential's project is gone.");
            return AuthOutcome.Ok(Issue(owner, project, cred.Roles, ["application_credential"], cred));
        }
    }

    /// <summary>Token auth (rescoping): a new token for the same user, optionally to another project.</summary>
    public AuthOutcome AuthenticateToken(string tokenId, string? projectIdOrName)
    {
        lock (_gate)
        {
            var old = Validate(tokenId);
            if (old is null) return AuthOutcome.Unauthorized("The request you have made requires authentication.");
            var project = projectIdOrName is null ? old.Project
                : _projects.GetValueOrDefault(projectIdOrName) ?? _projects.Values.FirstOrDefault(p => p.Name == projectIdOrName);
            if (project is null) return AuthOutcome.Unauthorized($"Could not find project: {projectIdOrName}.");
            var roles = EffectiveRoles(old.User.Id, project.Id);
            if (roles.Count == 0) return AuthOutcome.Unauthorized($"User {old.User.Id} has no access to project {project.Id}");
            return AuthOutcome.Ok(Issue(old.User, project, roles, ["token"], null));
        }
    }

    private Token Issue(User user, Project? project, IReadOnlyList<Role> roles, IReadOnlyList<string> methods, ApplicationCredential? cred)
    {
        var now = clock.GetUtcNow();
        var token = new Token
        {
            Id = "gAAAAAB" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(),
            User = user,
            Project = project,
            Roles = roles,
            Methods = methods,
            IssuedAt = now,
            ExpiresAt = now + tokenLifetime,
            AuditId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            ApplicationCredential = cred,
        };
        _tokens[token.Id] = token;
        return token;
    }

    /// <summary>The token if it exists, is not revoked and has not expired by the simulator's clock.</summary>
    public Token? Validate(string? tokenId)
    {
        if (string.IsNullOrEmpty(tokenId)) return null;
        lock (_gate)
        {
            var token = _tokens.GetValueOrDefault(tokenId);
            return token is null || token.Revoked || token.ExpiresAt <= clock.GetUtcNow() ? null : token;
        }
    }

    public bool Revoke(string tokenId)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(tokenId, out var token) || token.Revoked) return false;
            token.Revoked = true;
            return true;
        }
    }
}

public sealed record AuthOutcome(Token? Token, string? Error)
{
    public static AuthOutcome Ok(Token token) => new(token, null);
    public static AuthOutcome Unauthorized(string message) => new(null, message);
}

public sealed class IdentityConflictException(string message) : Exception(message);
