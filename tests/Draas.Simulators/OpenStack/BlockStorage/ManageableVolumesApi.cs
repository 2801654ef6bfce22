using System.Text.Json;
using System.Text.RegularExpressions;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder's "manage existing": list the backend's volumes that Cinder could take over, and take
/// one over (<c>POST /manageable_volumes</c>, 3.8+, and the older <c>/os-volume-manage</c>). Admin-only,
/// as in Cinder's default policy. Like Cinder, the API answers 202 at once with a <c>managing</c> volume;
/// the driver's checks run afterwards and end in <c>available</c> or <c>error_managing</c>.</summary>
internal static partial class ManageableVolumesApi
{
    private static readonly Microversion ManageableApi = new(3, 8);

    [GeneratedRegex("^volume-([0-9a-f-]{36})-cinder$")]
    private static partial Regex ManagedName();

    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        v3.MapGet("/manageable_volumes", (HttpContext http) => List(http, site, detail: false));
        v3.MapGet("/manageable_volumes/detail", (HttpContext http) => List(http, site, detail: true));
        v3.MapPost("/manageable_volumes", (Func<HttpContext, Task<IResult>>)(http => Manage(http, site, needs38: true)));
        v3.MapPost("/os-volume-manage", (Func<HttpContext, Task<IResult>>)(http => Manage(http, site, needs38: false)));
    }

    private static IResult Forbidden() => ApiError.Fault(403, "Policy doesn't allow volume_extension:volume_manage to be performed.");

    private static bool KnownHost(SimSite site, string? host) =>
        host == site.Backend.PoolName || host == site.Backend.ServiceHost;

    private static IResult List(HttpContext http, SimSite site, bool detail)
    {
        if (Microversion.Of(http) < ManageableApi) return ApiError.Fault(404, "The resource could not be found.");
        if (!http.Token().IsAdmin) return Forbidden();
        var host = http.Request.Query["host"].ToString();
        if (!KnownHost(site, host)) return ApiError.Fault(400, $"Service {host} could not be found.");
        return site.Locked(() =>
        {
            var items = site.Array.List().Select(a =>
            {
                var (safe, reason, cinderId) = Safety(site, a);
                var size = GiB(a.SizeBytes);
                return detail
                    ? (object)new { reference = Ref(a.Name), size, safe_to_manage = safe, reason_not_safe = reason, cinder_id = cinderId, extra_info = (object?)null }
                    : new { reference = Ref(a.Name), size, safe_to_manage = safe };
            }).ToList();
            return SimJson.Json(new Dictionary<string, object> { ["manageable-volumes"] = items });
        });
    }

    /// <summary>What the Pure driver reports for a backend volume: already Cinder's, or connected to a host.</summary>
    private static (bool Safe, string? Reason, string? CinderId) Safety(SimSite site, ArrayVolume a)
    {
        if (ManagedName().Match(a.Name) is { Success: true } m && site.BlockStorage.Volumes.ContainsKey(m.Groups[1].Value))
            return (false, "Volume already managed", m.Groups[1].Value);
        if (a.Connected) return (false, "Volume connected to host(s)", null);
        return (true, null, null);
    }

    private static async Task<IResult> Manage(HttpContext http, SimSite site, bool needs38)
    {
        if (needs38 && Microversion.Of(http) < ManageableApi) return ApiError.Fault(404, "The resource could not be found.");
        var t = http.Token();
        if (!t.IsAdmin) return Forbidden();
        var body = (await JsonBody.ReadAsync(http.Request)).Prop("volume");
        if (body is null) return ApiError.Fault(400, "Missing required element 'volume' in request body.");
        var host = body.Str("host");
        if (host is null) return ApiError.Fault(400, "Invalid input for field/attribute host.");
        if (body.Prop("ref") is not { ValueKind: JsonValueKind.Object } reference)
            return ApiError.Fault(400, "Invalid input for field/attribute ref.");
        var sourceName = ((JsonElement?)reference).Str("source-name");
        if (!KnownHost(site, host)) return ApiError.Fault(400, $"Service {host} could not be found.");
        var metadata = body.StringMap("metadata");
        if (metadata is null) return ApiError.Fault(400, "Invalid input for field/attribute metadata.");
        return site.Locked(() =>
        {
            var state = site.BlockStorage;
            var typeName = body.Str("volume_type") ?? state.DefaultTypeName;
            if (state.FindType(typeName) is not { } type) return ApiError.Fault(404, $"Volume type with name {typeName} could not be found.");
            var projectId = t.Project!.Id;
            if (Quotas.Exceeded(state, projectId, 1, 0) is { } over) return over;
            var v = new Volume
            {
                Id = Guid.NewGuid().ToString(),
                Name = body.Str("name"),
                Description = body.Str("description"),
                Size = 0,
                Status = "managing",
                ProjectId = projectId,
                UserId = t.User.Id,
                Type = type,
                CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                Host = site.Backend.PoolName,
                Metadata = metadata,
                AvailabilityZone = body.Str("availability_zone") ?? "nova",
                Bootable = body.Bool("bootable") ?? false,
            };
            state.Add(v);
            // The backend manages a limited number at once; the rest stay managing, queued.
            site.Manages.Start(site.Delays.VolumeManage, () => Finish(site, v, sourceName));
            return SimJson.Json(new { volume = VolumeViews.Detail(site, v, Microversion.Of(http), admin: true) }, 202);
        });
    }

    /// <summary>The driver's side of manage existing (Pure's <c>manage_existing</c>): the volume must
    /// exist, be connected to no host and not be Cinder's already; it is renamed
    /// <c>volume-&lt;id&gt;-cinder</c> and the Cinder volume takes its size, rounded up to whole GiB.</summary>
    private static void Finish(SimSite site, Volume v, string? sourceName)
    {
        if (v.Status != "managing") return;
        var backend = sourceName is null ? null : site.Array.Find(sourceName);
        var refused = site.Faults.ManageFailures.ContainsKey(v.Name ?? "");
        if (refused) site.Faults.CountInjected();
        // The scheduler checks the named host against the type first (backend_passes_filters): no match is
        // "No valid backend", error_managing, and the backend volume keeps its name.
        var ok = backend is not null && !refused && CapabilitiesFilter.Passes(v.Type, site.Backend)
            && Safety(site, backend).Safe && site.Array.TryRename(backend.Name, v.ArrayName);
        v.Status = ok ? "available" : "error_managing";
        if (ok) v.Size = GiB(backend!.SizeBytes);
        v.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
    }

    private static Dictionary<string, string> Ref(string name) => new() { ["source-name"] = name };

    internal static int GiB(long bytes) => (int)Math.Max(1, (bytes + (1L << 30) - 1) >> 30);
}
