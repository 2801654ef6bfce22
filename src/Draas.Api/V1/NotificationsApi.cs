using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/notifications: the delivery log of run and replication events (webhook and e-mail), newest first;
/// a tenant sees only its own project's. Filters: event, state, channel, resource_id.</summary>
public static class NotificationsApi
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/notifications", async (HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api) =>
    {
        var scope = TenantScope.ListScope(context, policy, "notification");
        var query = db.Notifications.AsNoTracking();
        if (scope is not null) query = query.Where(n => n.ProjectId == scope);
        var q = context.Request.Query;
        if (q.TryGetValue("event", out var name)) query = query.Where(n => n.Event == name.ToString());
        if (q.TryGetValue("resource_id", out var resource)) query = query.Where(n => n.ResourceId == resource.ToString());
        if (q.TryGetValue("state", out var rawState))
            query = Enum.GetValues<NotificationState>().FirstOrDefault(v => Word(v) == rawState.ToString()) is var state && Word(state) == rawState.ToString()
                ? query.Where(n => n.State == state)
                : throw ApiException.BadRequest("state must be pending, delivered or failed.");
        if (q.TryGetValue("channel", out var rawChannel))
            query = Enum.GetValues<NotificationChannel>().FirstOrDefault(v => Word(v) == rawChannel.ToString()) is var channel && Word(channel) == rawChannel.ToString()
                ? query.Where(n => n.Channel == channel)
                : throw ApiException.BadRequest("channel must be webhook or email.");
        var limit = api.MaxLimit;
        if (q.TryGetValue("limit", out var rawLimit) && (!int.TryParse(rawLimit, out limit) || limit < 1)) throw ApiException.BadRequest("limit must be a positive integer.");
        limit = Math.Min(limit, api.MaxLimit);
        if (q.TryGetValue("marker", out var rawMarker))
            query = long.TryParse(rawMarker, out var marker) ? query.Where(n => n.Id < marker) : throw ApiException.BadRequest("marker must be a notification id.");
        var page = await query.OrderByDescending(n => n.Id).Take(limit).ToListAsync(context.RequestAborted);
        LogLink[] links = page.Count == limit
            ? [new("next", $"{context.Request.Scheme}://{context.Request.Host}/v1/notifications?limit={limit}&marker={page[^1].Id}")]
            : [];
        return ApiJson.Ok(new NotificationList(page.Select(NotificationView.Of), links));
    }).Produces<NotificationList>();

    private static string Word<T>(T value) where T : struct, Enum => NotificationView.Word(value);
}
