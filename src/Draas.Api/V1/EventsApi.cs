using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Policy;
using Draas.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary>/v1/events: the audit log, newest first; a tenant sees only its own project's events.</summary>
public static class EventsApi
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/events", async (HttpContext context, DraasDbContext db, PolicyEnforcer policy, ApiOptions api) =>
    {
        var scope = TenantScope.ListScope(context, policy, "event");
        var query = db.AuditEvents.AsNoTracking();
        if (scope is not null) query = query.Where(e => e.ProjectId == scope);
        var q = context.Request.Query;
        if (q.TryGetValue("resource_type", out var type)) query = query.Where(e => e.ResourceType == type.ToString());
        if (q.TryGetValue("resource_id", out var resource)) query = query.Where(e => e.ResourceId == resource.ToString());
        if (q.TryGetValue("action", out var action)) query = query.Where(e => e.Action == action.ToString());
        if (q.TryGetValue("since", out var since))
            query = DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var from)
                ? query.Where(e => e.At >= from)
                : throw ApiException.BadRequest("since must be an ISO-8601 time.");
        var limit = api.MaxLimit;
        if (q.TryGetValue("limit", out var rawLimit) && (!int.TryParse(rawLimit, out limit) || limit < 1)) throw ApiException.BadRequest("limit must be a positive integer.");
        limit = Math.Min(limit, api.MaxLimit);
        // Events are numbered, so the marker is the last event id seen and the order is newest first.
        if (q.TryGetValue("marker", out var rawMarker))
            query = long.TryParse(rawMarker, out var marker) ? query.Where(e => e.Id < marker) : throw ApiException.BadRequest("marker must be an event id.");
        var page = await query.OrderByDescending(e => e.Id).Take(limit).ToListAsync(context.RequestAborted);
        LogLink[] links = page.Count == limit
            ? [new("next", $"{context.Request.Scheme}://{context.Request.Host}/v1/events?limit={limit}&marker={page[^1].Id}")]
            : [];
        return ApiJson.Ok(new EventList(page.Select(EventView.Of), links));
    }).Produces<EventList>();
}
