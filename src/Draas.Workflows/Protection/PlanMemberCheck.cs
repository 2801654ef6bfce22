using System.Net;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Sites;
using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Storage;
using Draas.Workflows.Sites;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Protection;

/// <summary>
/// Checks a plan's members against the site it runs at (its primary, or the recovery site once reprotected), with the service's own site credentials, before the
/// plan is stored: every server, volume, image and server group it names must exist in the tenant's
/// project there, and every volume it would replicate (its own and those of its servers) must sit on a
/// Cinder backend that a registered array with a replication peer serves.
/// </summary>
public sealed class PlanMemberCheck(DraasDbContext db, SiteSessionPool sessions, StoragePluginCatalog? plugins = null)
{
    public async Task<PlanMemberReport> CheckAsync(Plan plan, TenantProtection protection, CancellationToken ct)
    {
        // Where the plan runs now (the recovery project after its reprotect): that is where its members are.
        var placement = PlanPlacement.Of(protection, plan);
        var (siteId, projectId) = (placement.SiteId, placement.ProjectId);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId, ct);
        var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
        bool HasPeer(Domain.Arrays.StorageArray a) => Domain.Arrays.StorageArray.PeerOf(a, arrays) is not null;
        var session = sessions.For(site);
        var mode = ArrayReferences.ModeOf(plan.ReplicationMode);
        var missing = new List<string>();
        var unprotectable = new List<string>();
        try
        {
            var volumes = new Dictionary<string, Volume>();
            await foreach (var volume in session.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true, ProjectId = projectId }, ct))
                volumes[volume.Id] = volume;

            var replicated = new List<(Volume Volume, string Label)>();
            foreach (var member in plan.Resources.OrderBy(r => r.Kind).ThenBy(r => r.ResourceId, StringComparer.Ordinal))
            {
                switch (member.Kind)
                {
                    case ResourceKind.Server:
                        var server = await FindServerAsync(session, member.ResourceId, projectId, missing, ct);
                        if (server is null) break;
                        member.ResourceId = server.Id; // a server named by its name is stored by its id, which a rename keeps
                        foreach (var attached in server.VolumesAttached)
                        {
                            if (volumes.TryGetValue(attached.Id, out var disk)) replicated.Add((disk, $"volume {disk.Id} of server {server.Name}"));
                        }
                        break;
                    case ResourceKind.Volume:
                        var named = volumes.Values.Where(v => v.Name == member.ResourceId).ToList();
                        if (volumes.TryGetValue(member.ResourceId, out var volume) || named.Count == 1)
                        {
                            volume ??= named[0];
                            member.ResourceId = volume.Id;
                            replicated.Add((volume, $"volume {volume.Id}"));
                        }
                        else missing.Add(named.Count > 1 ? $"volume {member.ResourceId} ({named.Count} volumes have that name; give the id)" : $"volume {member.ResourceId}");
                        break;
                    case ResourceKind.Image:
                        if (!await ImageUsableAsync(session, member.ResourceId, projectId, ct)) missing.Add($"image {member.ResourceId}");
                        break;
                }
            }
            if (PlanSelector.Parse(plan.Selector)?.ServerGroupId is { } groupId)
            {
                var group = await SiteCalls.FindAsync(() => session.Compute.ServerGroups.GetAsync(groupId, ct));
                if (group is null || (group.ProjectId is not null && group.ProjectId != projectId)) missing.Add($"server group {groupId}");
            }

            foreach (var (volume, label) in replicated.DistinctBy(r => r.Volume.Id))
            {
                var array = arrays.FirstOrDefault(a => a.SiteId == site.Id && a.CinderBackend == volume.Host);
                if (array is null) unprotectable.Add($"{label} is on backend {volume.Host ?? "(none)"}, which no registered array at {site.Name} serves");
                else if (!HasPeer(array)) unprotectable.Add($"{label} is on array {array.Name}, which has no replication peer");
                else if (plugins is not null && plugins.TryGet(array.Plugin, out var plugin) && !plugin.Supports(mode))
                    unprotectable.Add($"{label} is on array {array.Name}, whose '{plugin.Name}' storage plugin cannot replicate in {mode.ToString().ToLowerInvariant()} mode (it can: {string.Join(", ", plugin.Modes.Order().Select(m => m.ToString().ToLowerInvariant()))})");
            }
        }
        catch (Exception e) when (SiteCalls.IsUnreachable(e, ct))
        {
            throw new SiteUnreachableException(site.Name, e);
        }
        return new PlanMemberReport(site.Name, projectId, missing, unprotectable);
    }

    /// <summary>The project's server with this id or, failing that, this exact name (as the openstack CLI takes either);
    /// null with the reason added to <paramref name="missing"/> when there is none, or several of that name.</summary>
    private static async Task<Server?> FindServerAsync(KeystoneSession session, string idOrName, string projectId, List<string> missing, CancellationToken ct)
    {
        if (await SiteCalls.FindAsync(() => session.Compute.Servers.GetAsync(idOrName, ct)) is { } byId && byId.TenantId == projectId) return byId;
        var named = new List<Server>();
        // Nova's name filter is a regular expression: anchored and escaped, then compared exactly.
        var options = new ServerListOptions { AllTenants = true, ProjectId = projectId, Name = $"^{System.Text.RegularExpressions.Regex.Escape(idOrName)}$" };
        await foreach (var candidate in session.Compute.Servers.ListAsync(options, ct))
        {
            if (candidate.Name == idOrName && candidate.TenantId == projectId) named.Add(candidate);
        }
        if (named.Count == 1) return await session.Compute.Servers.GetAsync(named[0].Id, ct);
        missing.Add(named.Count > 1 ? $"server {idOrName} ({named.Count} servers have that name; give the id)" : $"server {idOrName}");
        return null;
    }

    /// <summary>An image the project owns, or one it may boot from: public, community, or shared with it.</summary>
    private static async Task<bool> ImageUsableAsync(KeystoneSession session, string id, string projectId, CancellationToken ct)
    {
        var image = await SiteCalls.FindAsync(() => session.Image.GetAsync(id, ct));
        if (image is null) return false;
        if (image.Owner == projectId || image.Visibility is "public" or "community") return true;
        if (image.Visibility != "shared") return false;
        return (await session.Image.ListMembersAsync(id, ct)).Any(m => m.MemberId == projectId);
    }
}

/// <summary>What a plan names that its primary site does not have, and what could not be replicated.</summary>
public sealed record PlanMemberReport(string SiteName, string ProjectId, IReadOnlyList<string> Missing, IReadOnlyList<string> Unprotectable)
{
    public bool Ok => Missing.Count == 0 && Unprotectable.Count == 0;

    public string Describe()
    {
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"Not found in project {ProjectId} at {SiteName}: {string.Join(", ", Missing)}.");
        if (Unprotectable.Count > 0) parts.Add($"Cannot be replicated: {string.Join("; ", Unprotectable)}.");
        return string.Join(" ", parts);
    }
}

/// <summary>A site the service needed to ask could not be reached (no answer, or a server error after retries).</summary>
public sealed class SiteUnreachableException(string siteName, Exception inner)
    : Exception($"Site {siteName} could not be reached: {inner.Message}", inner)
{
    public string SiteName { get; } = siteName;
}

internal static class SiteCalls
{
    /// <summary>A resource that is not there (404) is null, not an error.</summary>
    public static async Task<T?> FindAsync<T>(Func<Task<T>> get) where T : class
    {
        try
        {
            return await get();
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>No answer, a server-side failure, or a credential the site no longer takes: the site, not the request, is at fault.</summary>
    public static bool IsUnreachable(Exception e, CancellationToken ct) => e switch
    {
        OpenStackException o => o.StatusCode is null || (int)o.StatusCode >= 500 || (o.StatusCode == HttpStatusCode.Unauthorized && o.Service == "identity"),
        HttpRequestException => true,
        TaskCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };
}
