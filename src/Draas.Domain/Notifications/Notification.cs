namespace Draas.Domain.Notifications;

/// <summary>
/// One event to deliver on one channel to one recipient: written in the same transaction as the state change
/// it tells of (an outbox), so an event is never lost nor told twice; a job delivers it with retries.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }

    /// <summary>What happened, once: e.g. <c>run:{id}:succeeded:0</c>. Unique with channel and recipient.</summary>
    public required string EventKey { get; set; }

    /// <summary>The event's name on the wire: <c>run.started</c>, <c>rpo.breached</c>, ...</summary>
    public required string Event { get; set; }
    public NotificationChannel Channel { get; set; }

    /// <summary>The webhook URL or the e-mail address.</summary>
    public required string Recipient { get; set; }
    public Guid ProtectionId { get; set; }
    public required string ProjectId { get; set; }
    public string? ResourceType { get; set; }
    public string? ResourceId { get; set; }

    /// <summary>The event as JSON: the webhook's body, the e-mail's facts.</summary>
    public required string Payload { get; set; }
    public NotificationState State { get; set; } = NotificationState.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>The last attempt's outcome (the remote's answer or the transport's error).</summary>
    public string? LastError { get; set; }
}

public enum NotificationChannel
{
    Webhook,
    Email,
}

public enum NotificationState
{
    Pending,
    Delivered,
    Failed,
}
