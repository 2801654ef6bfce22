using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>
/// Cinder's QoS specs as <c>openstack volume qos list|create|show</c> use them: none on a fresh cloud, admin-only,
/// each with its consumer, its specs and the volume types it is associated with (none until associated).
/// </summary>
internal static class QosSpecsApi
{
    private sealed record QosSpec(string Id, string Name, string Consumer, Dictionary<string, string> Specs);

    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        var specs = new Dictionary<string, QosSpec>();
        IResult Forbidden() => ApiError.Fault(403, "Policy doesn't allow volume_extension:qos_specs_manage:get_all to be performed.");
        object View(QosSpec q) => new { id = q.Id, name = q.Name, consumer = q.Consumer, specs = q.Specs };

        v3.MapGet("/qos-specs", (HttpContext http) => !http.Token().IsAdmin ? Forbidden()
            : site.Locked(() => SimJson.Json(new { qos_specs = specs.Values.OrderBy(q => q.Name).Select(View) })));
        v3.MapGet("/qos-specs/{id}", (HttpContext http, string id) => !http.Token().IsAdmin ? Forbidden()
            : site.Locked(() => specs.GetValueOrDefault(id) is { } q ? SimJson.Json(new { qos_specs = View(q) }) : ApiError.Fault(404, $"No such QoS spec {id}.")));
        v3.MapGet("/qos-specs/{id}/associations", (HttpContext http, string id) => !http.Token().IsAdmin ? Forbidden()
            : site.Locked(() => specs.ContainsKey(id) ? SimJson.Json(new { qos_associations = Array.Empty<object>() }) : ApiError.Fault(404, $"No such QoS spec {id}.")));
        v3.MapPost("/qos-specs", async (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden();
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("qos_specs");
            if (body is not { ValueKind: JsonValueKind.Object } b) return ApiError.Fault(400, "Missing required element 'qos_specs' in request body.");
            var name = body.Str("name");
            if (string.IsNullOrWhiteSpace(name)) return ApiError.Fault(400, "Invalid input received: Invalid QoS specs name.");
            var consumer = body.Str("consumer") ?? "back-end";
            if (consumer is not ("front-end" or "back-end" or "both")) return ApiError.Fault(400, $"Invalid input received: {consumer} is not a valid consumer.");
            var values = b.EnumerateObject().Where(p => p.Name is not ("name" or "consumer") && p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!);
            return site.Locked(() =>
            {
                if (specs.Values.Any(q => q.Name == name)) return ApiError.Fault(409, $"QoS Specs {name} already exists.");
                var q = new QosSpec(Guid.NewGuid().ToString(), name, consumer, values);
                specs[q.Id] = q;
                return SimJson.Json(new { qos_specs = View(q) });
            });
        });
    }
}
