using System.Text.Json.Nodes;
using Draas.Domain.Audit;
using Draas.Domain.Notifications;

namespace Draas.Api.V1;

// The two logs the API reads out, newest first: the audit log (/v1/events) and the notification delivery log
// (/v1/notifications). Events and notifications are numbered, so their pages' marker is the last id seen.

public sealed record EventView(long Id, DateTimeOffset At, string? RequestId, string? UserId, string? UserName, string? ActorProjectId,
    string? ProjectId, string Action, string ResourceType, string? ResourceId, string Outcome, JsonNode? Detail)
{
    public static EventView Of(AuditEvent e) => new(e.Id, e.At, e.RequestId, e.UserId, e.UserName, e.ActorProjectId, e.ProjectId,
        e.Action, e.ResourceType, e.ResourceId, e.Outcome, e.Detail is null ? null : JsonNode.Parse(e.Detail));
}

public sealed record EventList(IEnumerable<EventView> Events, IEnumerable<LogLink> EventsLinks);

/// <summary>One delivery of one event to one recipient (webhook URL or e-mail address), with its attempts.</summary>
public sealed record NotificationView(long Id, string EventId, string Event, string Channel, string Recipient, Guid ProtectionId,
    string ProjectId, string? ResourceType, string? ResourceId, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError, string? Summary)
{
    public static NotificationView Of(Notification n) => new(n.Id, n.EventKey, n.Event, Word(n.Channel), n.Recipient, n.ProtectionId, n.ProjectId,
        n.ResourceType, n.ResourceId, Word(n.State), n.Attempts, n.CreatedAt, n.NextAttemptAt, n.DeliveredAt, n.LastError,
        JsonNode.Parse(n.Payload)?["summary"]?.GetValue<string>());

    public static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

public sealed record NotificationList(IEnumerable<NotificationView> Notifications, IEnumerable<LogLink> NotificationsLinks);

/// <summary>The "next" link of a log's page (present only when the page is full).</summary>
public sealed record LogLink(string Rel, string Href);
