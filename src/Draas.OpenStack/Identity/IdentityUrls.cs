namespace Draas.OpenStack.Identity;

/// <summary>Keystone v3 paths, relative to the auth URL (…/v3/).</summary>
internal static class IdentityUrls
{
    public const string Tokens = "auth/tokens";
    public const string Projects = "projects";
    public const string Users = "users";
    public const string Roles = "roles";
    public const string RoleAssignments = "role_assignments";
    public static string Project(string id) => $"projects/{Uri.EscapeDataString(id)}";
    public static string User(string id) => $"users/{Uri.EscapeDataString(id)}";
    public static string ProjectUserRole(string projectId, string userId, string roleId) =>
        $"projects/{Uri.EscapeDataString(projectId)}/users/{Uri.EscapeDataString(userId)}/roles/{Uri.EscapeDataString(roleId)}";
}
