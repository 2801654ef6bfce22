using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Identity;

/// <summary>
/// The catalog as an operator reads it (<c>openstack endpoint list</c>, <c>service list</c>): Keystone's
/// <c>/v3/services</c> and <c>/v3/endpoints</c>, admin-only, from the same entries a token's catalog holds.
/// Cinder's URLs keep their <c>$(project_id)s</c> template here, as Keystone stores them.
/// </summary>
internal static class CatalogApi
{
    public static void Map(RouteGroupBuilder identity, SimSite site)
    {
        var v3 = identity.MapGroup("/v3").RequireToken(site, ApiError.Keystone);
        IResult Forbidden() => ApiError.Keystone(403, "You are not authorized to perform the requested action.");
        // The stored catalog: a project-scoped one, with the project put back as Keystone's template.
        const string Template = "PROJECT-TEMPLATE";
        IEnumerable<Catalog.Service> Services() => Catalog.For(site, Template);
        string Stored(string url) => url.Replace(Template, "$(project_id)s", StringComparison.Ordinal);
        string Self(HttpContext http, string path) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/{site.Name}/identity/v3/{path}";
        object Service(HttpContext http, Catalog.Service s) => new { id = s.Id, type = s.Type, name = s.Name, enabled = true, description = (string?)null, links = new { self = Self(http, $"services/{s.Id}") } };

        v3.MapGet("/services", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var type = http.Request.Query["type"].ToString();
            return SimJson.Json(new
            {
                services = Services().Where(s => type.Length == 0 || s.Type == type).Select(s => Service(http, s)),
                links = IdentityViews.ListLinks(http.Request),
            });
        });
        v3.MapGet("/services/{id}", (HttpContext http, string id) =>
            !http.Token().IsAdmin ? Forbidden()
            : Services().FirstOrDefault(s => s.Id == id) is { } s ? SimJson.Json(new { service = Service(http, s) })
            : ApiError.Keystone(404, $"Could not find service: {id}."));
        v3.MapGet("/endpoints", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var q = http.Request.Query;
            var endpoints = Services()
                .Where(s => q["service_id"].ToString() is not { Length: > 0 } sid || s.Id == sid)
                .SelectMany(s => s.Endpoints.Select(e => (Service: s, Endpoint: e)))
                .Where(x => q["interface"].ToString() is not { Length: > 0 } i || x.Endpoint.Interface == i)
                .Where(x => q["region_id"].ToString() is not { Length: > 0 } r || x.Endpoint.RegionId == r)
                .Select(x => new
                {
                    id = x.Endpoint.Id,
                    @interface = x.Endpoint.Interface,
                    region = x.Endpoint.Region,
                    region_id = x.Endpoint.RegionId,
                    service_id = x.Service.Id,
                    url = Stored(x.Endpoint.Url),
                    enabled = true,
                    links = new { self = Self(http, $"endpoints/{x.Endpoint.Id}") },
                });
            return SimJson.Json(new { endpoints, links = IdentityViews.ListLinks(http.Request) });
        });
        v3.MapGet("/regions", (HttpContext http) => SimJson.Json(new
        {
            regions = new[] { new { id = site.Region, description = "", parent_region_id = (string?)null, links = new { self = Self(http, $"regions/{site.Region}") } } },
            links = IdentityViews.ListLinks(http.Request),
        }));
    }
}
