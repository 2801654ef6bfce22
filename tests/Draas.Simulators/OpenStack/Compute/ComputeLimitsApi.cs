using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova's availability zones, absolute limits and quota sets (defaults, or what an admin set per
/// project, with live usage).</summary>
internal static class ComputeLimitsApi
{
    private static readonly Dictionary<string, int> Defaults = new()
    {
        ["instances"] = 10,
        ["cores"] = 20,
        ["ram"] = 51200,
        ["key_pairs"] = 100,
        ["metadata_items"] = 128,
        ["server_groups"] = 10,
        ["server_group_members"] = 10,
        ["injected_files"] = 5,
        ["injected_file_content_bytes"] = 10240,
        ["injected_file_path_bytes"] = 255,
    };

    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        foreach (var path in new[] { "/os-availability-zone", "/os-availability-zone/detail" })
        {
            v21.MapGet(path, () => SimJson.Json(SimJson.Named("availabilityZoneInfo", new[]
            {
                new Dictionary<string, object?> { ["zoneName"] = "nova", ["zoneState"] = new { available = true }, ["hosts"] = null },
            })));
        }

        v21.MapGet("/limits", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            var usage = Usage(site, t.Project!.Id, t.User.Id);
            var limit = Limits(site, t.Project!.Id);
            return SimJson.Json(new
            {
                limits = new
                {
                    rate = Array.Empty<object>(),
                    absolute = new Dictionary<string, int>
                    {
                        ["maxTotalInstances"] = limit["instances"],
                        ["maxTotalCores"] = limit["cores"],
                        ["maxTotalRAMSize"] = limit["ram"],
                        ["maxServerMeta"] = limit["metadata_items"],
                        ["maxTotalKeypairs"] = limit["key_pairs"],
                        ["maxServerGroups"] = limit["server_groups"],
                        ["maxServerGroupMembers"] = limit["server_group_members"],
                        ["maxPersonality"] = limit["injected_files"],
                        ["maxPersonalitySize"] = limit["injected_file_content_bytes"],
                        ["totalInstancesUsed"] = usage["instances"],
                        ["totalCoresUsed"] = usage["cores"],
                        ["totalRAMUsed"] = usage["ram"],
                        ["totalServerGroupsUsed"] = usage["server_groups"],
                    },
                },
            });
        }));

        v21.MapGet("/os-quota-sets/{project}", (HttpContext http, string project) => QuotaSet(http, site, project, detail: false));
        v21.MapGet("/os-quota-sets/{project}/detail", (HttpContext http, string project) => QuotaSet(http, site, project, detail: true));
        v21.MapPut("/os-quota-sets/{project}", async (HttpContext http, string project) =>
        {
            if (!http.Token().IsAdmin) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.");
            if ((await JsonBody.ReadAsync(http.Request)).Prop("quota_set") is not { ValueKind: JsonValueKind.Object } body)
                return ApiError.Fault(400, "Invalid input for field/attribute quota_set.");
            var changes = new Dictionary<string, int>();
            foreach (var p in body.EnumerateObject())
            {
                if (p.Name is "force") continue;
                if (!Defaults.ContainsKey(p.Name)) return ApiError.Fault(400, $"Invalid input for field/attribute quota_set. Additional properties are not allowed ('{p.Name}' was unexpected)");
                if (!p.Value.TryGetInt32(out var value) || value < -1) return ApiError.Fault(400, $"Invalid input for field/attribute {p.Name}.");
                changes[p.Name] = value;
            }
            return site.Locked(() =>
            {
                if (!site.Compute.QuotaOverrides.TryGetValue(project, out var set)) site.Compute.QuotaOverrides[project] = set = [];
                foreach (var (key, value) in changes) set[key] = value;
                // Nova's update answers with the quota set without its id.
                return SimJson.Json(new { quota_set = Limits(site, project) });
            });
        });
        v21.MapGet("/os-quota-sets/{project}/defaults", (string project) =>
        {
            var set = Defaults.ToDictionary(k => k.Key, k => (object)k.Value);
            set["id"] = project;
            return SimJson.Json(new { quota_set = set });
        });
    }

    private static IResult QuotaSet(HttpContext http, SimSite site, string project, bool detail) => site.Locked(() =>
    {
        var t = http.Token();
        if (!t.IsAdmin && t.Project?.Id != project) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.");
        var usage = Usage(site, project, t.User.Id);
        var set = new Dictionary<string, object> { ["id"] = project };
        foreach (var (key, limit) in Limits(site, project))
            set[key] = detail ? new { limit, in_use = usage.GetValueOrDefault(key), reserved = 0 } : limit;
        return SimJson.Json(new { quota_set = set });
    });

    /// <summary>The project's quota limits (-1 is unlimited); call inside <c>site.Locked</c>.</summary>
    internal static Dictionary<string, int> Limits(SimSite site, string project)
    {
        var limits = new Dictionary<string, int>(Defaults);
        if (site.Compute.QuotaOverrides.TryGetValue(project, out var set))
            foreach (var (key, value) in set) limits[key] = value;
        return limits;
    }

    private static Dictionary<string, int> Usage(SimSite site, string project, string user)
    {
        var servers = site.Compute.Servers.Values.Where(s => s.ProjectId == project).ToList();
        return new Dictionary<string, int>
        {
            ["instances"] = servers.Count,
            ["cores"] = servers.Sum(s => s.Flavor.Vcpus),
            ["ram"] = servers.Sum(s => s.Flavor.Ram),
            ["server_groups"] = site.Compute.ServerGroups.Values.Count(g => g.ProjectId == project),
            ["key_pairs"] = site.Compute.Keypairs.Count(k => k.UserId == user),
        };
    }
}
