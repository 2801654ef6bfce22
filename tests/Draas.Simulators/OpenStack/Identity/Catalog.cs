namespace Draas.Simulators.OpenStack.Identity;

/// <summary>The service catalog of a site as Keystone returns it in a token: every service with public,
/// internal and admin endpoints in the site's region. Cinder's URL carries the project id, like the
/// classic <c>/v3/$(project_id)s</c> template.</summary>
public static class Catalog
{
    public sealed record Endpoint(string Id, string Interface, string RegionId, string Region, string Url);

    public sealed record Service(string Id, string Type, string Name, IReadOnlyList<Endpoint> Endpoints);

    public static IReadOnlyList<Service> For(SimSite site, string? projectId)
    {
        var entries = new (string Type, string Name, string Url)[]
        {
            ("identity", "keystone", site.AuthUrl),
            ("compute", "nova", $"{site.ServiceUrl("compute")}/v2.1"),
            ("volumev3", "cinderv3", $"{site.ServiceUrl("volume")}/v3/{projectId}"),
            ("block-storage", "cinder", $"{site.ServiceUrl("volume")}/v3/{projectId}"),
            ("image", "glance", site.ServiceUrl("image")),
            ("network", "neutron", site.ServiceUrl("network")),
        };
        return
        [
            .. entries
                .Where(e => projectId is not null || (e.Type != "volumev3" && e.Type != "block-storage"))
                .Select(e => new Service(StableId(site.Name, e.Type), e.Type, e.Name,
                    [.. new[] { "public", "internal", "admin" }.Select(i =>
                        new Endpoint(StableId(site.Name, e.Type + i), i, site.Region, site.Region, e.Url))])),
        ];
    }

    /// <summary>Catalog ids stay the same for the life of a site, like real endpoint ids.</summary>
    private static string StableId(string site, string what) =>
        Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(site + "/" + what))).ToLowerInvariant();
}
