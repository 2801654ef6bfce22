using System.Security.Cryptography;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Image;

/// <summary>Image data: <c>PUT /v2/images/{id}/file</c> streams the upload, computing the md5
/// <c>checksum</c> and the sha512 <c>os_hash_value</c> as Glance does; <c>GET</c> streams it back with
/// <c>Content-MD5</c>. A queued image goes saving → active on the simulator's clock.</summary>
internal static class ImageDataApi
{
    public static void Map(RouteGroupBuilder v2, SimSite site)
    {
        IResult NotFound(string id) => ApiError.Glance(404, $"No image found with ID {id}");

        v2.MapPut("/images/{id}/file", async (HttpContext http, string id) =>
        {
            var t = http.Token();
            var check = site.Locked(() =>
            {
                if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
                if (!ImageViews.CanChange(t, i)) return ApiError.Glance(403, "You are not permitted to upload data to this image.");
                if (i.Status != "queued") return ApiError.Glance(409, $"Image status transition from {i.Status} to saving is not allowed");
                if (i.DiskFormat is null || i.ContainerFormat is null)
                    return ApiError.Glance(400, "Properties disk_format, container_format must be set prior to saving data.");
                i.Status = "saving";
                return null;
            });
            if (check is not null) return check;

            // Hash while reading so the upload is never buffered twice; the bytes are kept because the
            // simulator has nowhere else to store them.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            try
            {
                while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
                {
                    md5.AppendData(chunk, 0, read);
                    sha512.AppendData(chunk, 0, read);
                    buffer.Write(chunk, 0, read);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                site.Locked(() => site.Images.Images.GetValueOrDefault(id) is { } i ? i.Status = "queued" : null);
                throw;
            }
            var checksum = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
            var hash = Convert.ToHexString(sha512.GetHashAndReset()).ToLowerInvariant();
            return site.Locked(() =>
            {
                if (site.Images.Images.GetValueOrDefault(id) is not { } i) return NotFound(id);
                i.Data = buffer.ToArray();
                i.Checksum = checksum;
                i.HashValue = hash;
                i.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                site.Scheduler.At(site.Delays.ImageImport, () =>
                {
                    if (i.Status != "saving") return;
                    i.Status = "active";
                    i.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                });
                return Results.NoContent();
            });
        });

        v2.MapGet("/images/{id}/file", (HttpContext http, string id) =>
        {
            var (result, data, checksum) = site.Locked<(IResult?, byte[]?, string?)>(() =>
            {
                if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(http.Token(), i)) return (NotFound(id), null, null);
                if (i.Data is null || i.Status != "active") return (Results.NoContent(), null, null);
                return (null, i.Data, i.Checksum);
            });
            if (result is not null) return result;
            http.Response.Headers["Content-MD5"] = checksum;
            return Results.Stream(new MemoryStream(data!, writable: false), "application/octet-stream");
        });
    }
}
