using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Draas.Api.V1;

/// <summary><c>GET /</c>: OpenStack version discovery, open to anyone (clients call it before auth).</summary>
public static class VersionsApi
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/", (HttpRequest request) =>
    {
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return ApiJson.Ok(new
        {
            versions = new[]
            {
                new
                {
                    id = "v1.0",
                    status = "CURRENT",
                    updated = "2026-11-22T00:00:00Z",
                    links = new[] { new { rel = "self", href = $"{root}/v1/" } },
                    media_types = new[] { new { @base = "application/json", type = "application/vnd.openstack.disaster-recovery-v1+json" } },
                },
            },
        });
    }).WithTags("Service");
}
