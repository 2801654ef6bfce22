using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova flavors (list, detail, show, create and delete for admins, paged by flavor id) and
/// their extra specs.</summary>
internal static class FlavorsApi
{
    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        IResult NotFound(string id) => ApiError.Fault(404, $"Flavor {id} could not be found.");
        IResult Forbidden() => ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-flavor-manage to be performed.");

        foreach (var detail in new[] { false, true })
        {
            v21.MapGet(detail ? "/flavors/detail" : "/flavors", (HttpContext http) => site.Locked(() =>
            {
                var t = http.Token();
                // Non-admins see public flavors only; admins choose with is_public (None means all).
                var isPublic = http.Request.Query["is_public"].ToString().ToLowerInvariant();
                var all = t.IsAdmin && isPublic == "none";
                var privateOnly = t.IsAdmin && isPublic == "false";
                var list = site.Compute.Flavors.Values.OrderBy(f => f.Id, StringComparer.Ordinal)
                    .Where(f => all || (privateOnly ? !f.IsPublic : f.IsPublic))
                    .ToList();
                if (!Paging.TryPage(http.Request, list, f => f.Id, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
                var body = new Dictionary<string, object>
                {
                    ["flavors"] = page.Items.Select(f => ComputeViews.Flavor(site, f, Microversion.Of(http), detail)).ToArray(),
                };
                if (page.NextMarker is not null) body["flavors_links"] = Paging.Links(http.Request, page.NextMarker);
                return SimJson.Json(body);
            }));
        }
        v21.MapGet("/flavors/{id}", (HttpContext http, string id) => site.Locked(() =>
            site.Compute.Flavors.GetValueOrDefault(id) is { } f
                ? SimJson.Json(new { flavor = ComputeViews.Flavor(site, f, Microversion.Of(http), true) })
                : NotFound(id)));

        v21.MapPost("/flavors", async (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var b = (await JsonBody.ReadAsync(http.Request)).Prop("flavor");
            var name = b.Str("name");
            if (string.IsNullOrWhiteSpace(name) || b.Int("ram") is not { } ram || b.Int("vcpus") is not { } vcpus || b.Int("disk") is not { } disk)
                return ApiError.Fault(400, "Invalid input for field/attribute flavor: name, ram, vcpus and disk are required.");
            return site.Locked(() =>
            {
                var id = b.Str("id") ?? Guid.NewGuid().ToString();
                if (site.Compute.Flavors.ContainsKey(id) || site.Compute.Flavors.Values.Any(f => f.Name == name))
                    return ApiError.Fault(409, $"Flavor with name {name} already exists.");
                var f = new Flavor
                {
                    Id = id,
                    Name = name,
                    Ram = ram,
                    Vcpus = vcpus,
                    Disk = disk,
                    Swap = b.Int("swap") ?? 0,
                    Ephemeral = b.Int("OS-FLV-EXT-DATA:ephemeral") ?? 0,
                    IsPublic = b.Bool("os-flavor-access:is_public") ?? true,
                    Description = b.Str("description"),
                };
                site.Compute.Flavors[id] = f;
                return SimJson.Json(new { flavor = ComputeViews.Flavor(site, f, Microversion.Of(http), true) });
            });
        });
        v21.MapDelete("/flavors/{id}", (HttpContext http, string id) => site.Locked(() =>
            !http.Token().IsAdmin ? Forbidden()
            : site.Compute.Flavors.Remove(id) ? Results.StatusCode(202)
            : NotFound(id)));

        v21.MapGet("/flavors/{id}/os-extra_specs", (string id) => site.Locked(() =>
            site.Compute.Flavors.GetValueOrDefault(id) is { } f ? SimJson.Json(new { extra_specs = f.ExtraSpecs }) : NotFound(id)));
        v21.MapGet("/flavors/{id}/os-extra_specs/{key}", (string id, string key) => site.Locked(() =>
            site.Compute.Flavors.GetValueOrDefault(id) is not { } f ? NotFound(id)
            : f.ExtraSpecs.TryGetValue(key, out var v) ? SimJson.Json(new Dictionary<string, string> { [key] = v })
            : ApiError.Fault(404, $"Flavor {id} has no extra specs with key {key}.")));
        v21.MapPost("/flavors/{id}/os-extra_specs", async (HttpContext http, string id) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var specs = (await JsonBody.ReadAsync(http.Request)).StringMap("extra_specs");
            if (specs is null) return ApiError.Fault(400, "Malformed request body");
            return site.Locked(() =>
            {
                if (site.Compute.Flavors.GetValueOrDefault(id) is not { } f) return NotFound(id);
                foreach (var (k, v) in specs) f.ExtraSpecs[k] = v;
                return SimJson.Json(new { extra_specs = specs });
            });
        });
        v21.MapPut("/flavors/{id}/os-extra_specs/{key}", async (HttpContext http, string id, string key) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = await JsonBody.ReadAsync(http.Request);
            if (body.Str(key) is not { } value) return ApiError.Fault(400, "Request body and URI mismatch");
            return site.Locked(() =>
            {
                if (site.Compute.Flavors.GetValueOrDefault(id) is not { } f) return NotFound(id);
                f.ExtraSpecs[key] = value;
                return SimJson.Json(new Dictionary<string, string> { [key] = value });
            });
        });
        v21.MapDelete("/flavors/{id}/os-extra_specs/{key}", (HttpContext http, string id, string key) => site.Locked(() =>
            !http.Token().IsAdmin ? Forbidden()
            : site.Compute.Flavors.GetValueOrDefault(id) is not { } f ? NotFound(id)
            : f.ExtraSpecs.Remove(key) ? Results.Ok()
            : ApiError.Fault(404, $"Flavor {id} has no extra specs with key {key}.")));
    }
}
