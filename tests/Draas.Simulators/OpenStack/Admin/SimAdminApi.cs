using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Admin;

/// <summary>The simulator's own admin API (no Keystone: loopback only, test tooling): list the sites and
/// their endpoints, inject and clear faults, seed and read the volumes of a site's array.
/// <list type="bullet">
/// <item><c>GET /_sim/sites</c></item>
/// <item><c>PUT /_sim/sites/{site}/faults</c> <c>{"down": true, "services": {"volume": {"latency_ms": 200,
/// "error_rate": 0.5, "error_status": 500, "force_status": 503, "force_count": 2}}}</c></item>
/// <item><c>DELETE /_sim/sites/{site}/faults</c></item>
/// <item><c>GET|POST /_sim/sites/{site}/array/volumes</c> <c>{"name": "v1", "size_bytes": 1073741824,
/// "connected": false, "writes": ["w1"]}</c></item>
/// <item><c>POST /_sim/sites/{site}/servers/{id}/writes</c> <c>{"write": "order-42", "volume_id": null}</c>:
/// a guest write to the server's root (or given) volume</item>
/// </list></summary>
public static class SimAdminApi
{
    public static void Map(RouteGroupBuilder admin, IReadOnlyDictionary<string, SimSite> sites)
    {
        admin.MapGet("/sites", () => SimJson.Json(new { sites = sites.Values.Select(Describe) }));

        admin.MapGet("/sites/{name}/faults", (string name) => sites.TryGetValue(name, out var site)
            ? SimJson.Json(new
            {
                down = site.Faults.Down,
                services = site.Faults.Snapshot().ToDictionary(kv => kv.Key, kv => new
                {
                    latency_ms = (int)kv.Value.Latency.TotalMilliseconds,
                    error_rate = kv.Value.ErrorRate,
                    error_status = kv.Value.ErrorStatus,
                    force_status = kv.Value.ForceStatus,
                    force_count = kv.Value.ForceCount,
                }),
            })
            : NoSite(name));

        admin.MapPut("/sites/{name}/faults", async (HttpRequest request, string name) =>
        {
            if (!sites.TryGetValue(name, out var site)) return NoSite(name);
            var body = await JsonBody.ReadAsync(request);
            if (body is not { ValueKind: JsonValueKind.Object }) return ApiError.Fault(400, "body must be a JSON object");
            if (body.Bool("down") is { } down) site.Faults.Down = down;
            if (body.Prop("services") is { ValueKind: JsonValueKind.Object } services)
            {
                foreach (var s in services.EnumerateObject())
                {
                    if (!SiteFaults.Services.Contains(s.Name)) return ApiError.Fault(400, $"unknown service '{s.Name}'");
                    var f = (JsonElement?)s.Value;
                    site.Faults.Set(s.Name, new ServiceFault
                    {
                        Latency = TimeSpan.FromMilliseconds(f.Int("latency_ms") ?? 0),
                        ErrorRate = f.Prop("error_rate")?.GetDouble() ?? 0,
                        ErrorStatus = f.Int("error_status") ?? 500,
                        ForceStatus = f.Int("force_status"),
                        ForceCount = f.Int("force_count") ?? -1,
                    });
                }
            }
            return Results.NoContent();
        });

        admin.MapDelete("/sites/{name}/faults", (string name) =>
        {
            if (!sites.TryGetValue(name, out var site)) return NoSite(name);
            site.Faults.Clear();
            return Results.NoContent();
        });

        MapWrites(admin, sites);

        admin.MapGet("/sites/{name}/array/volumes", (string name) => sites.TryGetValue(name, out var site)
            ? SimJson.Json(new { volumes = site.Array.List() })
            : NoSite(name));

        admin.MapPost("/sites/{name}/array/volumes", async (HttpRequest request, string name) =>
        {
            if (!sites.TryGetValue(name, out var site)) return NoSite(name);
            var body = await JsonBody.ReadAsync(request);
            var volumeName = body.Str("name");
            var size = body.Prop("size_bytes") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var s) ? s : 0;
            if (string.IsNullOrEmpty(volumeName) || size <= 0)
                return ApiError.Fault(400, "name and a positive size_bytes are required");
            var writes = body.Prop("writes") is { ValueKind: JsonValueKind.Array } w
                ? w.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                : [];
            site.Array.Seed(volumeName, size, body.Bool("connected") ?? false, writes);
            return SimJson.Json(new { volume = site.Array.Find(volumeName) }, 201);
        });
    }

    private static void MapWrites(RouteGroupBuilder admin, IReadOnlyDictionary<string, SimSite> sites) =>
        admin.MapPost("/sites/{name}/servers/{id}/writes", async (HttpRequest request, string name, string id) =>
        {
            if (!sites.TryGetValue(name, out var site)) return NoSite(name);
            var body = await JsonBody.ReadAsync(request);
            if (body.Str("write") is not { } write) return ApiError.Fault(400, "write is required");
            return site.WriteFromServer(id, write, body.Str("volume_id"))
                ? Results.NoContent()
                : ApiError.Fault(409, $"server {id} is not ACTIVE or has no such volume");
        });

    private static IResult NoSite(string name) => ApiError.Fault(404, $"no site '{name}'");

    internal static object Describe(SimSite s) => new
    {
        name = s.Name,
        region = s.Region,
        auth_url = s.AuthUrl,
        endpoints = new Dictionary<string, string>
        {
            ["identity"] = s.AuthUrl,
            ["compute"] = $"{s.ServiceUrl("compute")}/v2.1",
            ["volumev3"] = $"{s.ServiceUrl("volume")}/v3/{{project_id}}",
            ["image"] = s.ServiceUrl("image"),
            ["network"] = s.ServiceUrl("network"),
        },
        volume_backend = new { host = s.Backend.PoolName, backend = s.Backend.BackendName },
        admin = new { username = s.Admin.Username, password = s.Admin.Password, project_name = s.Admin.ProjectName, user_domain_name = s.Admin.UserDomainName, project_domain_name = s.Admin.ProjectDomainName },
        demo = new { username = s.Demo.Username, password = s.Demo.Password, project_name = s.Demo.ProjectName, user_domain_name = s.Demo.UserDomainName, project_domain_name = s.Demo.ProjectDomainName },
    };
}
