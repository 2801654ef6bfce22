using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder volumes: list (summary and detail, paged, filtered), show, create (blank, from a
/// snapshot, a volume or an image), update, delete, metadata. Creation and deletion finish on the
/// simulator's clock.</summary>
internal static class VolumesApi
{
    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        v3.MapGet("/volumes", (HttpContext http) => List(http, site, detail: false));
        v3.MapGet("/volumes/detail", (HttpContext http) => List(http, site, detail: true));

        v3.MapGet("/volumes/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            return site.BlockStorage.Volumes.GetValueOrDefault(id) is { } v && BlockStorageApi.Visible(t, v.ProjectId)
                ? SimJson.Json(new { volume = VolumeViews.Detail(site, v, Microversion.Of(http), t.IsAdmin) })
                : NotFound(id);
        }));

        v3.MapPost("/volumes", async (HttpContext http) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("volume");
            if (body is null) return ApiError.Fault(400, "Missing required element 'volume' in request body.");
            var t = http.Token();
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:create to be performed.");
            return site.Locked(() => Create(http, site, body.Value));
        });

        v3.MapPut("/volumes/{id}", async (HttpContext http, string id) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("volume");
            if (body is null) return ApiError.Fault(400, "Missing required element 'volume' in request body.");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.BlockStorage.Volumes.GetValueOrDefault(id) is not { } v || !BlockStorageApi.Visible(t, v.ProjectId)) return NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:update to be performed.");
                if (body.Str("name") is { } name) v.Name = name;
                if (body.Str("description") is { } description) v.Description = description;
                if (body.Prop("metadata") is not null && body.StringMap("metadata") is { } md)
                {
                    v.Metadata.Clear();
                    foreach (var (k, val) in md) v.Metadata[k] = val;
                }
                v.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                return SimJson.Json(new { volume = VolumeViews.Detail(site, v, Microversion.Of(http), t.IsAdmin) });
            });
        });

        v3.MapDelete("/volumes/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.BlockStorage.Volumes.GetValueOrDefault(id) is not { } v || !BlockStorageApi.Visible(t, v.ProjectId)) return NotFound(id);
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:delete to be performed.");
            var deletable = v.Status is "available" or "error" or "error_restoring" or "error_extending" or "error_managing";
            var cascade = http.Request.Query["cascade"].ToString() is "true" or "True" or "1";
            var hasSnapshots = site.BlockStorage.Snapshots.Values.Any(s => s.VolumeId == v.Id);
            if (!deletable || v.Attachments.Count > 0 || (hasSnapshots && !cascade))
                return ApiError.Fault(400, "Invalid volume: Volume status must be available or error or error_restoring or error_extending " +
                    "or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, " +
                    "or be disassociated from snapshots after volume transfer.");
            v.Status = "deleting";
            v.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
            site.Scheduler.At(site.Delays.VolumeDelete, () =>
            {
                foreach (var s in site.BlockStorage.Snapshots.Values.Where(s => s.VolumeId == v.Id).ToList())
                    site.BlockStorage.Snapshots.Remove(s.Id);
                site.BlockStorage.Volumes.Remove(v.Id);
                site.Array.Delete(v.ArrayName);
            });
            return Results.StatusCode(202);
        }));

        MapMetadata(v3, site);
    }

    private static IResult List(HttpContext http, SimSite site, bool detail) => site.Locked(() =>
    {
        var t = http.Token();
        var q = http.Request.Query;
        var all = BlockStorageApi.AllTenants(http.Request, t);
        var project = all && q["project_id"].ToString() is { Length: > 0 } p ? p : null;
        string? F(string k) => q[k].ToString() is { Length: > 0 } v ? v : null;
        var name = F("name");
        var status = F("status");
        var bootable = F("bootable");
        // Cinder takes metadata as a dict literal; cinderclient sends Python's repr ("{'k': 'v'}").
        Dictionary<string, string>? metadata = null;
        if (F("metadata") is { } md)
        {
            try
            {
                metadata = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(md.Replace('\'', '"'));
            }
            catch (System.Text.Json.JsonException)
            {
                return ApiError.Fault(400, $"Invalid input received: metadata={md}");
            }
        }
        var list = site.BlockStorage.NewestFirst
            .Where(v => all ? project is null || v.ProjectId == project : v.ProjectId == t.Project?.Id)
            .Where(v => name is null || v.Name == name)
            .Where(v => status is null || v.Status == status)
            .Where(v => bootable is null || v.Bootable.ToString().Equals(bootable, StringComparison.OrdinalIgnoreCase))
            .Where(v => metadata is null || metadata.All(kv => v.Metadata.TryGetValue(kv.Key, out var value) && value == kv.Value))
            .ToList();
        if (!Paging.TryPage(http.Request, list, v => v.Id, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
        var mv = Microversion.Of(http);
        object items = detail
            ? page.Items.Select(v => VolumeViews.Detail(site, v, mv, t.IsAdmin)).ToArray()
            : page.Items.Select(v => VolumeViews.Summary(site, v)).ToArray();
        var body = new Dictionary<string, object> { ["volumes"] = items };
        if (page.NextMarker is not null) body["volumes_links"] = Paging.Links(http.Request, page.NextMarker);
        if (mv >= new Microversion(3, 34) && q.ContainsKey("with_count")) body["count"] = list.Count;
        return SimJson.Json(body);
    });

    private static IResult Create(HttpContext http, SimSite site, System.Text.Json.JsonElement b)
    {
        var body = (System.Text.Json.JsonElement?)b;
        var t = http.Token();
        var state = site.BlockStorage;
        var size = body.Int("size");
        var snapshotId = body.Str("snapshot_id");
        var sourceId = body.Str("source_volid");
        var imageRef = body.Str("imageRef");
        Snapshot? snapshot = null;
        Volume? source = null;
        Image.Image? image = null;
        if (snapshotId is not null && (snapshot = state.Snapshots.GetValueOrDefault(snapshotId)) is null)
            return ApiError.Fault(404, $"Snapshot {snapshotId} could not be found.");
        if (sourceId is not null && (source = state.Volumes.GetValueOrDefault(sourceId)) is null)
            return ApiError.Fault(404, $"Volume {sourceId} could not be found.");
        if (imageRef is not null && (image = site.Images.Images.GetValueOrDefault(imageRef)) is null)
            return ApiError.Fault(400, $"Invalid image identifier or unable to access requested image.");
        size ??= snapshot?.Size ?? source?.Size;
        if (size is null or <= 0) return ApiError.Fault(400, "Invalid input received: volume size must be a positive integer.");
        if (image is not null && (long)size * 1024 * 1024 * 1024 < (image.Data?.Length ?? 0))
            return ApiError.Fault(400, "Invalid input received: Size of specified image is larger than volume size.");
        var typeName = body.Str("volume_type") ?? source?.Type.Name ?? state.DefaultTypeName;
        if (state.FindType(typeName) is not { } type) return ApiError.Fault(404, $"Volume type with name {typeName} could not be found.");
        var projectId = t.Project!.Id;
        if (Quotas.Exceeded(state, projectId, 1, size.Value) is { } over) return over;
        var metadata = body.StringMap("metadata");
        if (metadata is null) return ApiError.Fault(400, "Invalid input for field/attribute metadata.");
        var now = site.Scheduler.Clock.GetUtcNow();
        var v = new Volume
        {
            Id = Guid.NewGuid().ToString(),
            Name = body.Str("name"),
            Description = body.Str("description"),
            Size = size.Value,
            Status = "creating",
            ProjectId = projectId,
            UserId = t.User.Id,
            Type = type,
            CreatedAt = now,
            AvailabilityZone = body.Str("availability_zone") ?? "nova",
            // The scheduler places the volume only on a pool whose capabilities the type's extra specs match.
            Host = CapabilitiesFilter.Passes(type, site.Backend) ? site.Backend.PoolName : null,
            SnapshotId = snapshotId,
            SourceVolid = sourceId,
            Metadata = metadata,
            Bootable = image is not null || source?.Bootable == true,
        };
        if (image is not null)
        {
            v.ImageMetadata["image_id"] = image.Id;
            v.ImageMetadata["image_name"] = image.Name ?? "";
            v.ImageMetadata["checksum"] = image.Checksum ?? "";
            v.ImageMetadata["disk_format"] = image.DiskFormat ?? "";
            v.ImageMetadata["container_format"] = image.ContainerFormat ?? "";
            v.ImageMetadata["min_disk"] = image.MinDisk.ToString();
            v.ImageMetadata["min_ram"] = image.MinRam.ToString();
            v.ImageMetadata["size"] = (image.Data?.Length ?? 0).ToString();
        }
        state.Add(v);
        site.Scheduler.At(site.Delays.VolumeCreate, () =>
        {
            if (v.Status != "creating") return;
            var created = v.Host is not null && site.Array.TryCreate(v.ArrayName, (long)v.Size * 1024 * 1024 * 1024);
            // A clone or a volume from a snapshot starts with the source's contents.
            var origin = source?.ArrayName ?? (snapshot is null ? null : state.Volumes.GetValueOrDefault(snapshot.VolumeId)?.ArrayName);
            if (created && origin is not null && site.Array.Find(origin) is { } from)
                foreach (var w in from.WriteLog) site.Array.AppendWrite(v.ArrayName, w);
            v.Status = created ? "available" : "error";
            v.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
        });
        return SimJson.Json(new { volume = VolumeViews.Detail(site, v, Microversion.Of(http), t.IsAdmin) }, 202);
    }

    private static void MapMetadata(RouteGroupBuilder v3, SimSite site)
    {
        IResult WithVolume(HttpContext http, string id, bool write, Func<Volume, IResult> act) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.BlockStorage.Volumes.GetValueOrDefault(id) is not { } v || !BlockStorageApi.Visible(t, v.ProjectId)) return NotFound(id);
            if (write && !t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow volume:update_volume_metadata to be performed.");
            return act(v);
        });

        v3.MapGet("/volumes/{id}/metadata", (HttpContext http, string id) =>
            WithVolume(http, id, false, v => SimJson.Json(new { metadata = v.Metadata })));
        v3.MapGet("/volumes/{id}/metadata/{key}", (HttpContext http, string id, string key) =>
            WithVolume(http, id, false, v => v.Metadata.TryGetValue(key, out var value)
                ? SimJson.Json(new { meta = new Dictionary<string, string> { [key] = value } })
                : ApiError.Fault(404, $"Volume {id} has no metadata with key {key}.")));
        // POST merges, PUT replaces: the same rule as Cinder's and Nova's metadata APIs.
        async Task<IResult> SetAll(HttpContext http, string id, bool replace)
        {
            var md = (await JsonBody.ReadAsync(http.Request)).StringMap("metadata");
            if (md is null) return ApiError.Fault(400, "Malformed request body");
            return WithVolume(http, id, true, v =>
            {
                if (replace) v.Metadata.Clear();
                foreach (var (k, value) in md) v.Metadata[k] = value;
                return SimJson.Json(new { metadata = v.Metadata });
            });
        }
        v3.MapPost("/volumes/{id}/metadata", (HttpContext http, string id) => SetAll(http, id, replace: false));
        v3.MapPut("/volumes/{id}/metadata", (HttpContext http, string id) => SetAll(http, id, replace: true));
        v3.MapPut("/volumes/{id}/metadata/{key}", async (HttpContext http, string id, string key) =>
        {
            var md = (await JsonBody.ReadAsync(http.Request)).StringMap("meta");
            if (md is null || md.Count != 1 || !md.ContainsKey(key)) return ApiError.Fault(400, "Request body and URI mismatch");
            return WithVolume(http, id, true, v =>
            {
                v.Metadata[key] = md[key];
                return SimJson.Json(new { meta = md });
            });
        });
        v3.MapDelete("/volumes/{id}/metadata/{key}", (HttpContext http, string id, string key) =>
            WithVolume(http, id, true, v => v.Metadata.Remove(key)
                ? Results.Ok()
                : ApiError.Fault(404, $"Volume {id} has no metadata with key {key}.")));
    }

    internal static IResult NotFound(string id) => ApiError.Fault(404, $"Volume {id} could not be found.");
}
