using Draas.Domain.Sites;
using Draas.OpenStack.Identity;
using Draas.Workflows.Sites;

namespace Draas.Workflows.Protection;

/// <summary>
/// The recovery-site project a tenant comes back in: either one the admin names (it must exist there), or
/// one the service creates through the recovery site's Keystone. A created project has the service's own
/// site user as member and admin, so every later recovery run can get a token scoped to it.
/// </summary>
public sealed class RecoveryProjects(SiteSessionPool sessions)
{
    /// <summary>Roles the service's site user gets on a project it creates: member to act in it, admin to import volumes into it.</summary>
    public static readonly string[] ServiceRoles = ["member", "admin"];

    /// <summary>Whether <paramref name="projectId"/> exists at <paramref name="site"/>.</summary>
    public async Task<bool> ExistsAsync(Site site, string projectId, CancellationToken ct)
    {
        try
        {
            return await SiteCalls.FindAsync(() => sessions.For(site).Identity.GetProjectAsync(projectId, ct)) is not null;
        }
        catch (Exception e) when (SiteCalls.IsUnreachable(e, ct))
        {
            throw new SiteUnreachableException(site.Name, e);
        }
    }

    /// <summary>Creates the project in the service user's own project domain and grants the service user its roles there.</summary>
    /// <returns>The new project's id.</returns>
    /// <exception cref="Draas.OpenStack.OpenStackException">409 when a project of that name exists in the domain.</exception>
    public async Task<string> CreateAsync(Site site, string name, string description, CancellationToken ct)
    {
        var session = sessions.For(site);
        try
        {
            var me = await session.GetTokenInfoAsync(ct);
            var project = await session.Identity.CreateProjectAsync(new CreateProjectOptions
            {
                Name = name,
                DomainId = me.Project?.Domain?.Id,
                Description = description,
                Tags = ["draas"],
            }, ct);
            try
            {
                var granted = 0;
                foreach (var roleName in ServiceRoles)
                {
                    await foreach (var role in session.Identity.ListRolesAsync(roleName, ct))
                    {
                        if (role.Name != roleName) continue;
                        await session.Identity.GrantProjectRoleAsync(project.Id, me.User.Id, role.Id, ct);
                        granted++;
                    }
                }
                if (granted == 0) throw new InvalidOperationException($"Keystone at {site.Name} has none of the roles {string.Join(", ", ServiceRoles)} to grant the service on project {name}.");
            }
            catch
            {
                // A project the service cannot act in is no use to a recovery: leave no half-made project behind.
                await session.Identity.DeleteProjectAsync(project.Id, CancellationToken.None);
                throw;
            }
            return project.Id;
        }
        catch (Exception e) when (SiteCalls.IsUnreachable(e, ct))
        {
            throw new SiteUnreachableException(site.Name, e);
        }
    }
}
