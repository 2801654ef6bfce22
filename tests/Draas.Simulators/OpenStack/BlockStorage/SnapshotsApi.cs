using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder snapshots: list (summary and detail, paged), show, create (creating → available on
/// the simulator's clock), update, delete.</summary>
internal static class SnapshotsApi
{
    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        IResult NotFound(string id) => ApiError.Fault(404, $"Snapshot {id} could not be found.");

        foreach (var detail in new[] { false, true })
        {
            v3.MapGet(detail ? "/snapshots/detail" : "/snapshots", (HttpContext http) => site.Locked(() =>
            {
                var t = http.Token();
                var all = BlockStorageApi.AllTenants(http.Request, t);
                var volumeId = http.Request.Query["volume_id"].ToString();
                var list = site.BlockStorage.SnapshotsNewestFirst
                    .Where(s => all || s.ProjectId == t.Project?.Id)
                    .Where(s => volumeId.Length == 0 || s.VolumeId == volumeId).ToList();
                if (!Paging.TryPage(http.Request, list, s => s.Id, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
                var body = new Dictionary<string, object>
                {
                    ["snapshots"] = page.Items.Select(s => VolumeViews.Snapshot(site, s, Microversion.Of(http))).ToArray(),
                };
                if (page.NextMarker is not null) body["snapshots_links"] = Paging.Links(http.Request, page.NextMarker);
                return SimJson.Json(body);
            }));
        }

        v3.MapGet("/snapshots/{id}", (HttpContext http, string id) => site.Locked(() =>
            site.BlockStorage.Snapshots.GetValueOrDefault(id) is { } s && BlockStorageApi.Visible(http.Token(), s.ProjectId)
                ? SimJson.Json(new { snapshot = VolumeViews.Snapshot(site, s, Microversion.Of(http)) })
                : NotFound(id)));

        v3.MapPost("/snapshots", async (HttpContext http) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("snapshot");
            if (body is null) return ApiError.Fault(400, "Missing required element 'snapshot' in request body.");
            var metadata = body.StringMap("metadata");
            if (metadata is null) return ApiError.Fault(400, "Invalid input for field/attribute metadata.");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:create_snapshot to be performed.");
                var volumeId = body.Str("volume_id") ?? "";
                if (site.BlockStorage.Volumes.GetValueOrDefault(volumeId) is not { } v || !BlockStorageApi.Visible(t, v.ProjectId))
                    return VolumesApi.NotFound(volumeId);
                var force = body.Bool("force") ?? false;
                if (!(v.Status == "available" || (force && v.Status == "in-use")))
                    return ApiError.Fault(400, $"Invalid volume: Volume {v.Id} status must be available, but current status is: {v.Status}.");
                if (Quotas.Exceeded(site.BlockStorage, v.ProjectId, 0, v.Size, 1) is { } over) return over;
                var s = new Snapshot
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = body.Str("name"),
                    Description = body.Str("description"),
                    VolumeId = v.Id,
                    Size = v.Size,
                    Status = "creating",
                    ProjectId = v.ProjectId,
                    UserId = t.User.Id,
                    CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                    Metadata = metadata,
                };
                site.BlockStorage.Add(s);
                site.Scheduler.At(site.Delays.SnapshotCreate, () =>
                {
                    if (s.Status != "creating") return;
                    s.Status = "available";
                    s.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                });
                return SimJson.Json(new { snapshot = VolumeViews.Snapshot(site, s, Microversion.Of(http)) }, 202);
            });
        });

        v3.MapPut("/snapshots/{id}", async (HttpContext http, string id) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("snapshot");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.BlockStorage.Snapshots.GetValueOrDefault(id) is not { } s || !BlockStorageApi.Visible(t, s.ProjectId)) return NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:update_snapshot to be performed.");
                if (body.Str("name") is { } name) s.Name = name;
                if (body.Str("description") is { } description) s.Description = description;
                s.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                return SimJson.Json(new { snapshot = VolumeViews.Snapshot(site, s, Microversion.Of(http)) });
            });
        });

        v3.MapDelete("/snapshots/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.BlockStorage.Snapshots.GetValueOrDefault(id) is not { } s || !BlockStorageApi.Visible(t, s.ProjectId)) return NotFound(id);
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:delete_snapshot to be performed.");
            if (s.Status is not ("available" or "error"))
                return ApiError.Fault(400, "Invalid snapshot: Volume Snapshot status must be available or error.");
            if (site.BlockStorage.Volumes.Values.Any(v => v.SnapshotId == s.Id && v.Status == "creating"))
                return ApiError.Fault(400, "Invalid snapshot: a volume is being created from it.");
            s.Status = "deleting";
            site.Scheduler.At(site.Delays.VolumeDelete, () => site.BlockStorage.Snapshots.Remove(s.Id));
            return Results.StatusCode(202);
        }));
    }
}
