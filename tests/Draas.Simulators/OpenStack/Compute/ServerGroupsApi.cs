using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova server groups: list (the project's), show, create (<c>policies</c> before 2.64,
/// <c>policy</c> and <c>rules</c> from 2.64), delete.</summary>
internal static class ServerGroupsApi
{
    private static readonly string[] Policies = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"];

    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        IResult NotFound(string id) => ApiError.Fault(404, $"Instance group {id} could not be found.");

        v21.MapGet("/os-server-groups", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            var all = t.IsAdmin && http.Request.Query["all_projects"].ToString() is "True" or "true" or "1";
            var list = site.Compute.ServerGroups.Values.Where(g => all || g.ProjectId == t.Project?.Id).OrderBy(g => g.Name).ToList();
            if (!Paging.TryPage(http.Request, list, g => g.Id, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
            return SimJson.Json(new { server_groups = page.Items.Select(g => ComputeViews.ServerGroup(g, Microversion.Of(http))) });
        }));
        v21.MapGet("/os-server-groups/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            return site.Compute.ServerGroups.GetValueOrDefault(id) is { } g && (t.IsAdmin || g.ProjectId == t.Project?.Id)
                ? SimJson.Json(new { server_group = ComputeViews.ServerGroup(g, Microversion.Of(http)) })
                : NotFound(id);
        }));
        v21.MapPost("/os-server-groups", async (HttpContext http) =>
        {
            var b = (await JsonBody.ReadAsync(http.Request)).Prop("server_group");
            var mv = Microversion.Of(http);
            var name = b.Str("name");
            var policy = mv >= new Microversion(2, 64)
                ? b.Str("policy")
                : b.Prop("policies") is { ValueKind: JsonValueKind.Array } p && p.GetArrayLength() == 1 ? p[0].GetString() : null;
            if (string.IsNullOrWhiteSpace(name) || policy is null || !Policies.Contains(policy))
                return ApiError.Fault(400, "Invalid input for field/attribute server_group.");
            var rules = new Dictionary<string, int>();
            if (b.Prop("rules").Int("max_server_per_host") is { } max) rules["max_server_per_host"] = max;
            var t = http.Token();
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-server-groups:create to be performed.");
            return site.Locked(() =>
            {
                var g = new ServerGroup
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = name,
                    Policy = policy,
                    Rules = rules,
                    ProjectId = t.Project!.Id,
                    UserId = t.User.Id,
                };
                site.Compute.ServerGroups[g.Id] = g;
                return SimJson.Json(new { server_group = ComputeViews.ServerGroup(g, mv) });
            });
        });
        v21.MapDelete("/os-server-groups/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.Compute.ServerGroups.GetValueOrDefault(id) is not { } g || !(t.IsAdmin || g.ProjectId == t.Project?.Id)) return NotFound(id);
            site.Compute.ServerGroups.Remove(id);
            return Results.NoContent();
        }));
    }
}
