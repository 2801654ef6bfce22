using Draas.Api.Auth;
using Draas.Api.Errors;
using Draas.Api.Policy;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.V1;

/// <summary>
/// How tenant-owned resources are guarded: a caller who may not even read a resource is told it does
/// not exist (404, as Nova and Cinder do), one who may read but not change it gets 403.
/// </summary>
public static class TenantScope
{
    public static IReadOnlyDictionary<string, string?> Target(string projectId) => new Dictionary<string, string?> { ["project_id"] = projectId };

    /// <summary>Null when the caller may list every project's resources, else the one project they may see.</summary>
    public static string? ListScope(HttpContext context, PolicyEnforcer policy, string resource)
    {
        var caller = context.Caller();
        if (policy.Allows($"draas:{resource}:list:all_projects", caller.Credentials)) return null;
        var project = caller.ProjectId ?? throw ApiException.Forbidden($"draas:{resource}:list");
        policy.Enforce(context, $"draas:{resource}:list", Target(project));
        return project;
    }

    public static void EnsureVisible(HttpContext context, PolicyEnforcer policy, string resource, string projectId, string what, Guid id)
    {
        if (!policy.Allows($"draas:{resource}:get", context.Caller().Credentials, Target(projectId))) throw ApiException.NotFound(what, id.ToString());
    }

    public static void EnsureAllowed(HttpContext context, PolicyEnforcer policy, string resource, string action, string projectId, string what, Guid id)
    {
        EnsureVisible(context, policy, resource, projectId, what, id);
        policy.Enforce(context, $"draas:{resource}:{action}", Target(projectId));
    }
}
