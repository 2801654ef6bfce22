using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Image;

/// <summary>Image members: the owner shares a <c>shared</c> image with another project; that project
/// accepts or rejects it (only accepted images appear in its default list).</summary>
internal static class ImageMembersApi
{
    public static void Map(RouteGroupBuilder v2, SimSite site)
    {
        IResult NotFound(string id) => ApiError.Glance(404, $"No image found with ID {id}");

        v2.MapGet("/images/{id}/members", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
            var members = i.Members.Values.Where(m => t.IsAdmin || i.Owner == t.Project?.Id || m.MemberId == t.Project?.Id);
            return SimJson.Json(new { members = members.Select(ImageViews.Member), schema = "/v2/schemas/members" });
        }));

        v2.MapPost("/images/{id}/members", async (HttpContext http, string id) =>
        {
            var member = (await JsonBody.ReadAsync(http.Request)).Str("member");
            if (string.IsNullOrEmpty(member)) return ApiError.Glance(400, "Member to be added not specified");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
                if (!ImageViews.CanChange(t, i)) return ApiError.Glance(403, "You are not permitted to add members to this image.");
                if (i.Visibility != "shared") return ApiError.Glance(403, $"Only shared images have members.");
                if (i.Members.ContainsKey(member)) return ApiError.Glance(409, $"Member {member} already exists for image {id}.");
                var now = site.Scheduler.Clock.GetUtcNow();
                var m = new ImageMember { MemberId = member, ImageId = id, CreatedAt = now, UpdatedAt = now };
                i.Members[member] = m;
                return SimJson.Json(ImageViews.Member(m));
            });
        });

        v2.MapGet("/images/{id}/members/{member}", (HttpContext http, string id, string member) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
            return i.Members.GetValueOrDefault(member) is { } m && (t.IsAdmin || i.Owner == t.Project?.Id || member == t.Project?.Id)
                ? SimJson.Json(ImageViews.Member(m))
                : ApiError.Glance(404, $"Member {member} not found");
        }));

        v2.MapPut("/images/{id}/members/{member}", async (HttpContext http, string id, string member) =>
        {
            var status = (await JsonBody.ReadAsync(http.Request)).Str("status");
            if (status is not ("pending" or "accepted" or "rejected")) return ApiError.Glance(400, $"Invalid status: {status}");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
                if (i.Members.GetValueOrDefault(member) is not { } m) return ApiError.Glance(404, $"Member {member} not found");
                // Only the member itself decides whether it accepts the image.
                if (member != t.Project?.Id && !t.IsAdmin) return ApiError.Glance(403, "You are not permitted to modify 'status' on this image member.");
                m.Status = status;
                m.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                return SimJson.Json(ImageViews.Member(m));
            });
        });

        v2.MapDelete("/images/{id}/members/{member}", (HttpContext http, string id, string member) => site.Locked(() =>
        {
            var t = http.Token();
            if (site.Images.Images.GetValueOrDefault(id) is not { } i || !ImageViews.CanSee(t, i)) return NotFound(id);
            if (!ImageViews.CanChange(t, i)) return ApiError.Glance(403, "You are not permitted to delete members of this image.");
            return i.Members.Remove(member) ? Results.NoContent() : ApiError.Glance(404, $"Member {member} not found");
        }));
    }
}
