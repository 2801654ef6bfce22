using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder v3 of one site: version discovery at the root, then every resource under
/// <c>/v3/{project_id}</c> behind token, project and microversion checks (3.0 to 3.70, Zed's range).</summary>
public static class BlockStorageApi
{
    public static readonly Microversion Min = new(3, 0);
    public static readonly Microversion Max = new(3, 70);

    public static void Map(RouteGroupBuilder volume, SimSite site)
    {
        volume.MapGet("/", () => SimJson.Json(new { versions = new[] { Version(site) } }, 300));
        volume.MapGet("/v3", () => SimJson.Json(new { versions = new[] { Version(site) } }));

        var v3 = volume.MapGroup("/v3/{project_id}")
            .RequireToken(site, ApiError.Fault)
            .WithMicroversions("volume", null, Min, Max, ApiError.Fault);
        // Cinder takes the project from the URL; a member may only use its own.
        v3.AddEndpointFilter(async (ctx, next) =>
        {
            var token = ctx.HttpContext.Token();
            var project = ctx.HttpContext.GetRouteValue("project_id")?.ToString();
            if (!token.IsAdmin && project != token.Project?.Id)
                return ApiError.Fault(403, "Policy doesn't allow this project_id to be used by the token's project.");
            return await next(ctx);
        });
        VolumesApi.Map(v3, site);
        VolumeActionsApi.Map(v3, site);
        ManageableVolumesApi.Map(v3, site);
        VolumeTypesApi.Map(v3, site);
        SnapshotsApi.Map(v3, site);
        BlockStorageAdminApi.Map(v3, site);
        QosSpecsApi.Map(v3, site);
    }

    /// <summary>A member sees its project's volumes; an admin sees everything (lists need all_tenants).</summary>
    internal static bool Visible(Token t, string projectId) => t.IsAdmin || t.Project?.Id == projectId;

    internal static bool AllTenants(HttpRequest r, Token t) =>
        t.IsAdmin && r.Query["all_tenants"].ToString() is "1" or "True" or "true";

    private static object Version(SimSite site) => new Dictionary<string, object>
    {
        ["id"] = "v3.0",
        ["status"] = "CURRENT",
        ["version"] = Max.ToString(),
        ["min_version"] = Min.ToString(),
        ["updated"] = "2022-08-31T00:00:00Z",
        ["links"] = new object[]
        {
            new { rel = "describedby", type = "text/html", href = "https://docs.openstack.org/" },
            new { rel = "self", href = $"{site.ServiceUrl("volume")}/v3/" },
        },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.volume+json;version=3" } },
    };
}
