using Draas.Simulators.Lab;

namespace Draas.Testing;

/// <summary>
/// What an operator posts to register the DR lab with the service: each site (<c>POST /v1/sites</c>) with its
/// admin credentials, and each site's FlashArray (<c>POST /v1/arrays</c>) with its Cinder backend, array-a
/// naming array-b as its replication peer. The tests and the benchmarks register the lab with these.
/// </summary>
public static class LabRegistration
{
    /// <param name="probeUrl">Where the service's health checks of recovered servers go (a probe agent); none when null.</param>
    /// <param name="maxConcurrentImports">The site's limit on Cinder imports at once; the service's default when null.</param>
    /// <param name="maxConcurrentBoots">The site's limit on Nova boots at once; the service's default when null.</param>
    public static object Site(LabSite site, string? probeUrl = null, int? maxConcurrentImports = null, int? maxConcurrentBoots = null)
    {
        var body = new Dictionary<string, object>
        {
            ["name"] = site.Name,
            ["auth_url"] = site.AuthUrl,
            ["region_name"] = site.OpenStack.Region,
            ["username"] = site.Admin.Username,
            ["project_name"] = site.Admin.ProjectName,
            ["password"] = site.Admin.Password,
        };
        if (probeUrl is not null) body["probe_url"] = probeUrl;
        if (maxConcurrentImports is not null) body["max_concurrent_imports"] = maxConcurrentImports;
        if (maxConcurrentBoots is not null) body["max_concurrent_boots"] = maxConcurrentBoots;
        return new { site = body };
    }

    /// <param name="siteId">The id the service gave the array's site.</param>
    /// <param name="peerArrayId">The id of the array it replicates to (array-a's peer is array-b); none when null.</param>
    /// <param name="maxConcurrentCopies">The array's limit on copies at once; the service's default when null.</param>
    public static object Array(LabSite site, string siteId, string? peerArrayId = null, int? maxConcurrentCopies = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = site.ArrayName,
            ["site_id"] = siteId,
            ["plugin"] = "pure",
            ["endpoint"] = site.ArrayUrl.ToString(),
            ["api_token"] = site.ApiToken,
            ["cinder_backend"] = site.CinderBackend,
            ["peer_array_id"] = peerArrayId,
        };
        if (maxConcurrentCopies is not null) body["max_concurrent_copies"] = maxConcurrentCopies;
        return new { array = body };
    }
}
