using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Volume types and their extra specs. Everyone reads public types; only admins change them.</summary>
internal static class VolumeTypesApi
{
    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        IResult Forbidden() => ApiError.Fault(403, "Policy doesn't allow volume_extension:types_manage to be performed.");
        VolumeType? Find(string id) => id == "default"
            ? site.BlockStorage.FindType(site.BlockStorage.DefaultTypeName)
            : site.BlockStorage.Types.GetValueOrDefault(id) ?? site.BlockStorage.FindType(id);
        IResult NotFound(string id) => ApiError.Fault(404, $"Volume type {id} could not be found.");

        v3.MapGet("/types", (HttpContext http) => site.Locked(() =>
        {
            var admin = http.Token().IsAdmin;
            // Cinder's _parse_is_public: no is_public lists public types only, even for an admin;
            // "None" lists public and private, true/false one kind. A non-admin always sees public ones.
            var isPublic = http.Request.Query["is_public"].ToString();
            bool? wanted = !admin || isPublic.Length == 0 ? true
                : isPublic.Equals("none", StringComparison.OrdinalIgnoreCase) ? null
                : isPublic is "true" or "True" or "1" or "yes";
            var types = site.BlockStorage.Types.Values.Where(t => wanted is null || t.IsPublic == wanted).OrderBy(t => t.Name)
                .Select(t => VolumeViews.Type(t, admin));
            return SimJson.Json(new { volume_types = types });
        }));
        v3.MapGet("/types/{id}", (HttpContext http, string id) => site.Locked(() =>
            Find(id) is { } t ? SimJson.Json(new { volume_type = VolumeViews.Type(t, http.Token().IsAdmin) }) : NotFound(id)));
        v3.MapPost("/types", async (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("volume_type");
            var name = body.Str("name");
            if (string.IsNullOrWhiteSpace(name)) return ApiError.Fault(400, "Volume type name can not be empty.");
            var specs = body.StringMap("extra_specs");
            if (specs is null) return ApiError.Fault(400, "Invalid input for field/attribute extra_specs.");
            return site.Locked(() =>
            {
                if (site.BlockStorage.FindType(name) is not null) return ApiError.Fault(409, $"Volume Type {name} already exists.");
                var t = new VolumeType
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = name,
                    Description = body.Str("description"),
                    IsPublic = body.Bool("os-volume-type-access:is_public") ?? body.Bool("is_public") ?? true,
                    ExtraSpecs = specs,
                };
                site.BlockStorage.Add(t);
                return SimJson.Json(new { volume_type = VolumeViews.Type(t, true) });
            });
        });
        v3.MapDelete("/types/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            if (site.BlockStorage.Types.GetValueOrDefault(id) is not { } t) return NotFound(id);
            if (site.BlockStorage.Volumes.Values.Any(v => v.Type == t)) return ApiError.Fault(400, "Target volume type is still in use.");
            site.BlockStorage.Types.Remove(id);
            return Results.StatusCode(202);
        }));

        v3.MapGet("/types/{id}/extra_specs", (string id) => site.Locked(() =>
            Find(id) is { } t ? SimJson.Json(new { extra_specs = t.ExtraSpecs }) : NotFound(id)));
        v3.MapGet("/types/{id}/extra_specs/{key}", (string id, string key) => site.Locked(() =>
            Find(id) is not { } t ? NotFound(id)
            : t.ExtraSpecs.TryGetValue(key, out var v) ? SimJson.Json(new Dictionary<string, string> { [key] = v })
            : ApiError.Fault(404, $"Volume Type {id} has no extra specs with key {key}.")));
        v3.MapPost("/types/{id}/extra_specs", async (HttpContext http, string id) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var specs = (await JsonBody.ReadAsync(http.Request)).StringMap("extra_specs");
            if (specs is null) return ApiError.Fault(400, "Malformed request body");
            return site.Locked(() =>
            {
                if (Find(id) is not { } t) return NotFound(id);
                foreach (var (k, v) in specs) t.ExtraSpecs[k] = v;
                return SimJson.Json(new { extra_specs = specs });
            });
        });
        v3.MapPut("/types/{id}/extra_specs/{key}", async (HttpContext http, string id, string key) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = await JsonBody.ReadAsync(http.Request);
            if (body.Str(key) is not { } value) return ApiError.Fault(400, "Request body and URI mismatch");
            return site.Locked(() =>
            {
                if (Find(id) is not { } t) return NotFound(id);
                t.ExtraSpecs[key] = value;
                return SimJson.Json(new Dictionary<string, string> { [key] = value });
            });
        });
        v3.MapDelete("/types/{id}/extra_specs/{key}", (HttpContext http, string id, string key) => site.Locked(() =>
            !http.Token().IsAdmin ? Forbidden()
            : Find(id) is not { } t ? NotFound(id)
            : t.ExtraSpecs.Remove(key) ? Results.StatusCode(202)
            : ApiError.Fault(404, $"Volume Type {id} has no extra specs with key {key}.")));
    }
}
