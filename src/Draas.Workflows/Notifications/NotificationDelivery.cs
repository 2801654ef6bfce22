using System.Text;
using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Notifications;
using Draas.Workflows.Protection;
using Hangfire;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Notifications;

/// <summary>
/// Delivers the outbox: each due row, locked (<c>FOR UPDATE SKIP LOCKED</c>, so two workers never send one
/// row at once) while it is sent, then marked delivered, or given a later attempt with backoff, or failed
/// for good (a permanent refusal, or its attempts spent) with the remote's answer. Kicked after every commit
/// that queued rows, and every minute (what a crash left pending is picked up). A crash between the send and
/// the commit sends that row again: receivers deduplicate on <c>X-Draas-Event-Id</c>.
/// </summary>
public sealed class NotificationDelivery(DraasDbContext db, WebhookClient webhooks, MailRelay mail, SecretProtector secrets, NotificationsOptions options,
    IBackgroundJobClient jobs, TimeProvider clock, ILogger<NotificationDelivery> logger)
{
    public const string RecurringId = "notification-delivery";

    /// <summary>Seconds before attempt n+1 (the last value repeats).</summary>
    private static readonly int[] Backoff = [10, 30, 60, 120, 300, 600, 1800, 3600];

    public static void Kick(IBackgroundJobClient jobs) => jobs.Enqueue<NotificationDelivery>("default", d => d.DeliverDueAsync(CancellationToken.None));

    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    public async Task DeliverDueAsync(CancellationToken ct)
    {
        // Bounded per job, so one job never holds a worker for long; what is left waits for the next kick or minute.
        for (var i = 0; i < 200 && await DeliverOneAsync(ct); i++)
        {
        }
    }

    private async Task<bool> DeliverOneAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = (await db.Notifications.FromSql($"""
            SELECT * FROM notifications WHERE state = 'pending' AND next_attempt_at <= {now}
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct)).SingleOrDefault();
        if (n is null) return false;
        var (ok, permanent, outcome) = await SendAsync(n, ct);
        n.Attempts++;
        n.LastError = ok ? null : outcome[..Math.Min(outcome.Length, 1024)];
        if (ok)
        {
            n.State = NotificationState.Delivered;
            n.DeliveredAt = clock.GetUtcNow();
        }
        else if (permanent || n.Attempts >= options.MaxAttempts)
        {
            n.State = NotificationState.Failed;
            logger.LogWarning("Notification {Id} ({Event}, {Channel}) given up after {Attempts} attempts: {Outcome}", n.Id, n.Event, n.Channel, n.Attempts, outcome);
        }
        else
        {
            var delay = TimeSpan.FromSeconds(Backoff[Math.Min(n.Attempts - 1, Backoff.Length - 1)]);
            n.NextAttemptAt = clock.GetUtcNow() + delay;
            // The minute's sweep would find it too; this keeps the first retries as short as the backoff says.
            jobs.Schedule<NotificationDelivery>("default", d => d.DeliverDueAsync(CancellationToken.None), delay);
            logger.LogInformation("Notification {Id} ({Event}, {Channel}) attempt {Attempts} failed, again at {Next}: {Outcome}", n.Id, n.Event, n.Channel, n.Attempts, n.NextAttemptAt, outcome);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task<(bool Ok, bool Permanent, string Outcome)> SendAsync(Notification n, CancellationToken ct)
    {
        try
        {
            if (n.Channel == NotificationChannel.Webhook)
            {
                var secret = await db.Protections.AsNoTracking().Where(p => p.Id == n.ProtectionId).Select(p => p.WebhookSecretCiphertext).SingleOrDefaultAsync(ct);
                using var response = await webhooks.PostAsync(n.Recipient, n.Payload, request =>
                {
                    request.Headers.Add("X-Draas-Event", n.Event);
                    request.Headers.Add("X-Draas-Event-Id", n.EventKey);
                    if (secret is not null) WebhookSignature.Apply(request, secrets.Unprotect(secret), clock.GetUtcNow(), n.Payload);
                }, ct);
                var code = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return (true, false, $"{code}");
                // 408, 425, 429 and 5xx pass; any other refusal stays a refusal.
                var permanent = code is >= 400 and < 500 and not 408 and not 425 and not 429;
                var text = await response.Content.ReadAsStringAsync(ct);
                return (false, permanent, $"webhook answered {code}: {text[..Math.Min(text.Length, 300)]}");
            }
            if (!options.MailEnabled) return (false, true, "e-mail is off ([notifications] host is unset)");
            var payload = JsonNode.Parse(n.Payload)!;
            await mail.SendAsync(n.Recipient, $"[DRaaS] {payload["protection_name"]}: {payload["summary"]}", MailText(payload), n.EventKey, ct);
            return (true, false, "sent");
        }
        catch (SmtpCommandException e)
        {
            // 5xx from the relay (no such mailbox, relaying denied) will not change by retrying; 4xx may.
            return (false, (int)e.StatusCode >= 500, $"SMTP relay refused: {(int)e.StatusCode} {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException
            or SmtpProtocolException or ServiceNotConnectedException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException)
        {
            return (false, false, e.Message);
        }
    }

    private static string MailText(JsonNode payload)
    {
        var text = new StringBuilder();
        text.AppendLine(payload["summary"]!.GetValue<string>()).AppendLine();
        text.AppendLine($"event:      {payload["event"]}");
        text.AppendLine($"at:         {payload["at"]}");
        text.AppendLine($"protection: {payload["protection_name"]} ({payload["protection_id"]})");
        text.AppendLine($"{payload["resource_type"],-11} {payload["resource_id"]}");
        text.AppendLine().AppendLine("Details:").AppendLine(payload["detail"]?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return text.ToString();
    }
}
