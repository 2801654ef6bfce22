using System.Text.Json;
using Draas.Data;
using Draas.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Notifications;

/// <summary>What an event is about, for the outbox: who is told (the protection's webhook and contacts) and the facts.</summary>
public sealed record NotificationEvent(string Event, string EventKey, Guid ProtectionId, string ProjectId, string ResourceType, string ResourceId, string Summary, object Facts);

/// <summary>
/// Writes an event into the notifications outbox, one row per channel and recipient, inside the caller's
/// transaction: the event is told if and only if the state change it tells of commits. A second write of
/// the same event (a pump run twice, a retried job) is a no-op through the unique event key.
/// <see cref="NotificationDelivery"/> delivers the rows.
/// </summary>
public sealed class NotificationOutbox(NotificationsOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <returns>How many deliveries were queued (0: nobody to tell, or told already).</returns>
    public async Task<int> AddAsync(DraasDbContext db, NotificationEvent e, DateTimeOffset now, CancellationToken ct)
    {
        var protection = await db.Protections.AsNoTracking().Where(p => p.Id == e.ProtectionId)
            .Select(p => new { p.Name, p.WebhookUrl, p.Contacts }).SingleOrDefaultAsync(ct);
        if (protection is null) return 0;
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = e.EventKey,
            ["event"] = e.Event,
            ["at"] = now,
            ["protection_id"] = e.ProtectionId,
            ["protection_name"] = protection.Name,
            ["project_id"] = e.ProjectId,
            ["resource_type"] = e.ResourceType,
            ["resource_id"] = e.ResourceId,
            ["summary"] = e.Summary,
            ["detail"] = e.Facts,
        }, Json);
        var recipients = new List<(NotificationChannel, string)>();
        if (protection.WebhookUrl is { } url) recipients.Add((NotificationChannel.Webhook, url));
        if (options.MailEnabled) recipients.AddRange(protection.Contacts.Distinct(StringComparer.OrdinalIgnoreCase).Select(c => (NotificationChannel.Email, c)));
        var queued = 0;
        foreach (var (channel, recipient) in recipients)
        {
            var word = channel == NotificationChannel.Webhook ? "webhook" : "email";
            queued += await db.Database.ExecuteSqlAsync($"""
                INSERT INTO notifications (event_key, event, channel, recipient, protection_id, project_id, resource_type, resource_id, payload, state, attempts, created_at, next_attempt_at)
                VALUES ({e.EventKey}, {e.Event}, {word}, {recipient}, {e.ProtectionId}, {e.ProjectId}, {e.ResourceType}, {e.ResourceId}, {payload}::jsonb, 'pending', 0, {now}, {now})
                ON CONFLICT (event_key, channel, recipient) DO NOTHING
                """, ct);
        }
        return queued;
    }
}
