using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary><c>/servers/{id}/os-volume_attachments</c>: list, show, attach (the Cinder volume goes
/// in-use with an attachment), detach (back to available). The root volume cannot be detached.</summary>
internal static class VolumeAttachmentsApi
{
    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        v21.MapGet("/servers/{id}/os-volume_attachments", (HttpContext http, string id) => site.Locked(() =>
            ServersApi.Find(site, http.Token(), id) is { } s
                ? SimJson.Json(SimJson.Named("volumeAttachments", s.BlockDevices.Where(b => b.VolumeId is not null).Select(b => ComputeViews.Attachment(s, b, Microversion.Of(http))).ToArray()))
                : ServersApi.NotFound(id)));

        v21.MapGet("/servers/{id}/os-volume_attachments/{volumeId}", (HttpContext http, string id, string volumeId) => site.Locked(() =>
        {
            if (ServersApi.Find(site, http.Token(), id) is not { } s) return ServersApi.NotFound(id);
            return s.BlockDevices.FirstOrDefault(b => b.VolumeId == volumeId) is { } bdm
                ? SimJson.Json(SimJson.Named("volumeAttachment", ComputeViews.Attachment(s, bdm, Microversion.Of(http))))
                : ApiError.Fault(404, $"Volume {volumeId} is not attached to {id}");
        }));

        v21.MapPost("/servers/{id}/os-volume_attachments", async (HttpContext http, string id) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("volumeAttachment");
            var volumeId = body.Str("volumeId");
            if (volumeId is null) return ApiError.Fault(400, "Invalid input for field/attribute volumeAttachment.");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (ServersApi.Find(site, t, id) is not { } s) return ServersApi.NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-volumes-attachments:create to be performed.");
                if (s.VmState is not ("active" or "stopped") || s.TaskState is not null)
                    return ApiError.Fault(409, $"Cannot 'attach_volume' instance {s.Id} while it is in vm_state {s.VmState}");
                if (site.BlockStorage.Volumes.GetValueOrDefault(volumeId) is not { } v || !(t.IsAdmin || v.ProjectId == s.ProjectId))
                    return ApiError.Fault(404, $"Volume {volumeId} could not be found.");
                if (v.Status != "available")
                    return ApiError.Fault(400, $"Invalid volume: volume '{v.Id}' status must be 'available'. Currently in '{v.Status}'");
                var device = body.Str("device") ?? VolumeLinks.NextDevice(s);
                var bdm = VolumeLinks.Attach(site, s, v, device, null, body.Bool("delete_on_termination") ?? false, body.Str("tag"));
                return SimJson.Json(SimJson.Named("volumeAttachment", ComputeViews.Attachment(s, bdm, Microversion.Of(http))));
            });
        });

        v21.MapDelete("/servers/{id}/os-volume_attachments/{volumeId}", (HttpContext http, string id, string volumeId) => site.Locked(() =>
        {
            var t = http.Token();
            if (ServersApi.Find(site, t, id) is not { } s) return ServersApi.NotFound(id);
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:os-volumes-attachments:delete to be performed.");
            if (s.BlockDevices.FirstOrDefault(b => b.VolumeId == volumeId) is not { } bdm)
                return ApiError.Fault(404, $"Volume {volumeId} is not attached to {id}");
            if (bdm.BootIndex == 0) return ApiError.Fault(400, "Can't detach root device volume");
            if (site.BlockStorage.Volumes.GetValueOrDefault(volumeId) is { } v) v.Status = "detaching";
            site.Scheduler.At(TimeSpan.Zero, () => VolumeLinks.Detach(site, s, bdm));
            return Results.StatusCode(202);
        }));
    }
}
