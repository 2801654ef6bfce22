using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary><c>POST /volumes/{id}/action</c>: set bootable, extend, reset status (admin), unmanage (admin).</summary>
internal static class VolumeActionsApi
{
    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        v3.MapPost("/volumes/{id}/action", async (HttpContext http, string id) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is not { ValueKind: JsonValueKind.Object } b || !b.EnumerateObject().Any())
                return ApiError.Fault(400, "Malformed request body");
            var action = b.EnumerateObject().First();
            var args = (JsonElement?)action.Value;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.BlockStorage.Volumes.GetValueOrDefault(id) is not { } v || !BlockStorageApi.Visible(t, v.ProjectId))
                    return VolumesApi.NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, $"Policy doesn't allow volume_extension:{action.Name} to be performed.");
                var now = site.Scheduler.Clock.GetUtcNow();
                switch (action.Name)
                {
                    case "os-set_bootable":
                        if (args.Bool("bootable") is not { } bootable) return ApiError.Fault(400, "Invalid value for 'bootable'.");
                        v.Bootable = bootable;
                        v.UpdatedAt = now;
                        return Results.Ok();
                    case "os-extend":
                        if (args.Int("new_size") is not { } newSize || newSize <= v.Size)
                            return ApiError.Fault(400, "Invalid input received: New size for extend must be greater than current size.");
                        if (v.Status != "available") return ApiError.Fault(400, "Invalid volume: Volume status must be 'available'.");
                        if (Quotas.Exceeded(site.BlockStorage, v.ProjectId, 0, newSize - v.Size) is { } over) return over;
                        v.Size = newSize;
                        site.Array.Resize(v.ArrayName, (long)newSize * 1024 * 1024 * 1024);
                        v.UpdatedAt = now;
                        return Results.StatusCode(202);
                    case "os-reset_status":
                        if (!t.IsAdmin) return ApiError.Fault(403, "Policy doesn't allow volume_extension:volume_admin_actions:reset_status to be performed.");
                        if (args.Str("status") is { } status) v.Status = status;
                        if (args.Str("migration_status") is { } migration) v.MigrationStatus = migration;
                        v.UpdatedAt = now;
                        return Results.StatusCode(202);
                    case "os-unmanage":
                        return Unmanage(site, t.IsAdmin, v);
                    default:
                        return ApiError.Fault(400, $"There is no such action: {action.Name}");
                }
            });
        });
    }

    /// <summary>Cinder forgets the volume; the Pure driver renames it on the array with an
    /// <c>-unmanaged</c> suffix so that it can be managed again later.</summary>
    private static IResult Unmanage(SimSite site, bool admin, Volume v)
    {
        if (!admin) return ApiError.Fault(403, "Policy doesn't allow volume_extension:volume_unmanage to be performed.");
        if (v.Status is not ("available" or "error" or "error_managing") || v.Attachments.Count > 0)
            return ApiError.Fault(400, "Invalid volume: Volume status must be available or error, and the volume must not be attached.");
        if (site.BlockStorage.Snapshots.Values.Any(s => s.VolumeId == v.Id))
            return ApiError.Fault(400, "Invalid volume: Volume cannot be unmanaged while it has snapshots.");
        v.Status = "unmanaging";
        site.Scheduler.At(site.Delays.VolumeDelete, () =>
        {
            site.Array.TryRename(v.ArrayName, v.ArrayName + "-unmanaged");
            site.BlockStorage.Volumes.Remove(v.Id);
        });
        return Results.StatusCode(202);
    }
}
