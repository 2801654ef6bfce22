using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova of one site: version discovery (<c>/</c> and <c>/v2.1</c>, 2.1 to 2.93 like Zed unless the site plays an older Nova), then
/// every resource under <c>/v2.1</c> behind token and microversion checks.</summary>
public static class ComputeApi
{
    public static readonly Microversion Min = new(2, 1);
    public static readonly Microversion Max = new(2, 93);

    public static void Map(RouteGroupBuilder compute, SimSite site)
    {
        compute.MapGet("/", () => SimJson.Json(new
        {
            versions = new object[]
            {
                Version(site, "v2.0", "SUPPORTED", "", "", "/v2/", "2011-01-21T11:33:21Z"),
                Version(site, "v2.1", "CURRENT", site.NovaMaxMicroversion.ToString(), Min.ToString(), "/v2.1/", "2013-07-23T11:33:21Z"),
            },
        }));
        compute.MapGet("/v2.1", () => SimJson.Json(new { version = Version(site, "v2.1", "CURRENT", site.NovaMaxMicroversion.ToString(), Min.ToString(), "/v2.1/", "2013-07-23T11:33:21Z") }));

        var v21 = compute.MapGroup("/v2.1")
            .RequireToken(site, ApiError.Fault)
            .WithMicroversions("compute", "X-OpenStack-Nova-API-Version", Min, () => site.NovaMaxMicroversion, ApiError.Fault);
        ServersApi.Map(v21, site);
        ServerActionsApi.Map(v21, site);
        VolumeAttachmentsApi.Map(v21, site);
        FlavorsApi.Map(v21, site);
        KeypairsApi.Map(v21, site);
        ServerGroupsApi.Map(v21, site);
        ComputeLimitsApi.Map(v21, site);
        ComputeOperatorApi.Map(v21, site);
    }

    private static Dictionary<string, object> Version(SimSite site, string id, string status, string version, string min, string path, string updated) => new()
    {
        ["id"] = id,
        ["status"] = status,
        ["version"] = version,
        ["min_version"] = min,
        ["updated"] = updated,
        ["links"] = new object[]
        {
            new { rel = "self", href = site.ServiceUrl("compute") + path },
            new { rel = "describedby", type = "text/html", href = "http://docs.openstack.org/" },
        },
        ["media-types"] = new[] { new { @base = "application/json", type = "application/vnd.openstack.compute+json;version=2.1" } },
    };
}
