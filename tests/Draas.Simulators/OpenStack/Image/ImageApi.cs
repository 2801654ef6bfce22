using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Image;

/// <summary>Glance v2 of one site: version discovery, images (list with Glance's <c>next</c>/<c>first</c>
/// pagination, create, show, JSON-patch update, delete), then data and members in their own files.</summary>
public static class ImageApi
{
    private static readonly string[] DiskFormats = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];
    private static readonly string[] ContainerFormats = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];
    private static readonly string[] Visibilities = ["public", "private", "shared", "community"];

    public static void Map(RouteGroupBuilder image, SimSite site)
    {
        object Versions() => new
        {
            versions = new[] { "2.16", "2.15", "2.9", "2.7", "2.6", "2.5", "2.4", "2.3", "2.2", "2.1", "2.0" }.Select((v, i) => new
            {
                id = "v" + v,
                status = i == 0 ? "CURRENT" : "SUPPORTED",
                links = new[] { new { rel = "self", href = $"{site.ServiceUrl("image")}/v2/" } },
            }),
        };
        image.MapGet("/", () => SimJson.Json(Versions(), 300));
        image.MapGet("/versions", () => SimJson.Json(Versions()));

        var v2 = image.MapGroup("/v2").RequireToken(site, ApiError.Glance);
        IResult NotFound(string id) => ApiError.Glance(404, $"No image found with ID {id}");

        v2.MapGet("/images", (HttpContext http) => site.Locked(() => List(http, site)));

        v2.MapPost("/images", async (HttpContext http) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is not { ValueKind: JsonValueKind.Object } b) return ApiError.Glance(400, "Body must be a JSON object.");
            var t = http.Token();
            if (!t.CanWrite) return ApiError.Glance(403, "You are not authorized to complete add_image action.");
            var visibility = body.Str("visibility") ?? "shared";
            if (!Visibilities.Contains(visibility)) return ApiError.Glance(400, $"Invalid visibility value: {visibility}");
            if (visibility == "public" && !t.IsAdmin) return ApiError.Glance(403, "You are not authorized to complete publicize_image action.");
            if (body.Str("disk_format") is { } df && !DiskFormats.Contains(df)) return ApiError.Glance(400, $"Invalid value '{df}' for parameter 'disk_format'");
            if (body.Str("container_format") is { } cf && !ContainerFormats.Contains(cf)) return ApiError.Glance(400, $"Invalid value '{cf}' for parameter 'container_format'");
            return site.Locked(() =>
            {
                var id = body.Str("id") ?? Guid.NewGuid().ToString();
                if (site.Images.Images.ContainsKey(id)) return ApiError.Glance(409, $"Image with identifier {id} already exists!");
                var now = site.Scheduler.Clock.GetUtcNow();
                var i = new Image
                {
                    Id = id,
                    Name = body.Str("name"),
                    Status = "queued",
                    Visibility = visibility,
                    Owner = t.Project!.Id,
                    DiskFormat = body.Str("disk_format"),
                    ContainerFormat = body.Str("container_format"),
                    MinDisk = body.Int("min_disk") ?? 0,
                    MinRam = body.Int("min_ram") ?? 0,
                    Protected = body.Bool("protected") ?? false,
                    Hidden = body.Bool("os_hidden") ?? false,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Tags = body.Prop("tags") is { ValueKind: JsonValueKind.Array } tags ? [.. tags.EnumerateArray().Select(x => x.GetString() ?? "")] : [],
                };
                foreach (var p in b.EnumerateObject().Where(p => !ImageViews.CoreKeys.Contains(p.Name)))
                    i.Properties[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                site.Images.Add(i);
                http.Response.Headers.Location = $"{site.ServiceUrl("image")}/v2/images/{i.Id}";
                return SimJson.Json(ImageViews.Image(i), 201);
            });
        });

        v2.MapGet("/images/{id}", (HttpContext http, string id) => site.Locked(() =>
            site.Images.Images.GetValueOrDefault(id) is { } i && ImageViews.CanSee(http.Token(), i)
                ? SimJson.Json(ImageViews.Image(i))
                : NotFound(id)));

        v2.MapMethods("/images/{id}", ["PATCH"], async (HttpContext http, string id) =>
        {
            var ops = await JsonBody.ReadAsync(http.Request);
            if (ops is not { ValueKind: JsonValueKind.Array } list) return ApiError.Glance(400, "Request body must be a JSON array of operation objects.");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
                if (!ImageViews.CanChange(t, i)) return ApiError.Glance(403, "You are not permitted to modify this image.");
                foreach (var op in list.EnumerateArray())
                {
                    if (Patch(t, i, (JsonElement?)op) is { } error) return error;
                }
                i.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                return SimJson.Json(ImageViews.Image(i));
            });
        });

        v2.MapDelete("/images/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
            if (!ImageViews.CanChange(t, i)) return ApiError.Glance(403, "You are not permitted to delete this image.");
            if (i.Protected) return ApiError.Glance(403, $"Image {id} is protected and cannot be deleted.");
            site.Images.Images.Remove(id);
            return Results.NoContent();
        }));

        v2.MapGet("/schemas/image", () => SimJson.Json(new { name = "image", properties = new { }, additionalProperties = new { type = "string" } }));
        v2.MapGet("/schemas/images", () => SimJson.Json(new { name = "images", properties = new { }, links = Array.Empty<object>() }));
        v2.MapGet("/info/import", () => SimJson.Json(SimJson.Named("import-methods", new { description = "Import methods available.", type = "array", value = new[] { "glance-direct" } })));

        ImageDataApi.Map(v2, site);
        ImageMembersApi.Map(v2, site);
    }

    private static IResult List(HttpContext http, SimSite site)
    {
        var t = http.Token();
        var q = http.Request.Query;
        string? F(string k) => q[k].ToString() is { Length: > 0 } v ? v : null;
        var visibility = F("visibility");
        var memberStatus = F("member_status") ?? "accepted";
        var name = F("name");
        var status = F("status");
        var owner = F("owner");
        var tag = F("tag");
        var project = t.Project?.Id;
        bool Listed(Image i)
        {
            if (visibility is not null && visibility != "all" && i.Visibility != visibility) return false;
            if (t.IsAdmin) return true;
            if (i.Owner == project) return true;
            return i.Visibility switch
            {
                "public" => true,
                "community" => visibility == "community",
                "shared" => project is not null && i.Members.TryGetValue(project, out var m) && (memberStatus == "all" || m.Status == memberStatus),
                _ => false,
            };
        }
        var list = site.Images.NewestFirst.Where(Listed)
            .Where(i => name is null || i.Name == name)
            .Where(i => status is null || i.Status == status)
            .Where(i => owner is null || i.Owner == owner)
            .Where(i => tag is null || i.Tags.Contains(tag))
            .Where(i => !i.Hidden || F("os_hidden") == "true")
            .ToList();
        if (!Paging.TryPage(http.Request, list, i => i.Id, 1000, out var page, out var error)) return ApiError.Glance(400, error!);
        var body = new Dictionary<string, object?>
        {
            ["images"] = page.Items.Select(ImageViews.Image).ToArray(),
            ["first"] = "/v2/images",
            ["schema"] = "/v2/schemas/images",
        };
        // Glance's next link is relative to the service root, not absolute like Nova's and Cinder's.
        if (page.NextMarker is not null)
            body["next"] = Paging.NextHref(http.Request, page.NextMarker, absolute: false)[(http.Request.PathBase + http.Request.Path).ToString().IndexOf("/v2/", StringComparison.Ordinal)..];
        return SimJson.Json(body);
    }

    /// <summary>One JSON-patch operation (<c>add</c>, <c>replace</c>, <c>remove</c>) on an image attribute
    /// or extra property.</summary>
    private static IResult? Patch(Identity.Token t, Image i, JsonElement? op)
    {
        var kind = op.Str("op");
        var path = op.Str("path")?.TrimStart('/');
        var value = op.Prop("value");
        if (kind is not ("add" or "replace" or "remove") || string.IsNullOrEmpty(path))
            return ApiError.Glance(400, "Unable to find `op` or `path` in JSON Schema change.");
        string? Text() => value is { ValueKind: JsonValueKind.String } v ? v.GetString() : value?.GetRawText();
        switch (path)
        {
            case "name": i.Name = kind == "remove" ? null : Text(); break;
            case "visibility":
                var vis = Text() ?? "";
                if (!Visibilities.Contains(vis)) return ApiError.Glance(400, $"Invalid visibility value: {vis}");
                if (vis == "public" && !t.IsAdmin) return ApiError.Glance(403, "You are not authorized to complete publicize_image action.");
                i.Visibility = vis;
                break;
            case "protected": i.Protected = value?.ValueKind == JsonValueKind.True; break;
            case "os_hidden": i.Hidden = value?.ValueKind == JsonValueKind.True; break;
            case "min_disk": i.MinDisk = value?.GetInt32() ?? 0; break;
            case "min_ram": i.MinRam = value?.GetInt32() ?? 0; break;
            case "disk_format": i.DiskFormat = Text(); break;
            case "container_format": i.ContainerFormat = Text(); break;
            case "tags":
                i.Tags.Clear();
                if (value is { ValueKind: JsonValueKind.Array } tags) i.Tags.AddRange(tags.EnumerateArray().Select(x => x.GetString() ?? ""));
                break;
            default:
                if (ImageViews.CoreKeys.Contains(path)) return ApiError.Glance(403, $"Attribute '{path}' is read-only.");
                if (kind == "remove")
                {
                    if (!i.Properties.Remove(path)) return ApiError.Glance(409, $"Property {path} does not exist.");
                }
                else if (kind == "replace" && !i.Properties.ContainsKey(path))
                    return ApiError.Glance(409, $"Property {path} does not exist.");
                else i.Properties[path] = Text() ?? "";
                break;
        }
        return null;
    }
}
