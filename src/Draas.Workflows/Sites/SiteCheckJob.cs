using System.Diagnostics;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Audit;
using Draas.Domain.Sites;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Sites;

/// <summary>
/// Checks that the service can still authenticate to a site's Keystone with the stored credential,
/// and records the outcome on the site and in the audit log. A failed check is a result, not a job
/// failure, so Hangfire does not retry it.
/// </summary>
public sealed class SiteCheckJob(DraasDbContext db, SecretProtector secrets, TimeProvider clock, ILoggerFactory loggers)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid siteId, CancellationToken ct)
    {
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
        {
            loggers.CreateLogger<SiteCheckJob>().LogInformation("Site {SiteId} was deleted before its check ran", siteId);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        SiteCheck check;
        try
        {
            // A fresh session, so the check proves the stored credential, not a cached token.
            using var session = new KeystoneSession(SiteSessions.OptionsFor(site, secrets.Unprotect(site.SecretCiphertext)), clock, loggers);
            await session.GetTokenAsync(ct);
            check = new SiteCheck(clock.GetUtcNow(), true, "authenticated", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is OpenStackException or ArgumentException or InvalidOperationException)
        {
            check = new SiteCheck(clock.GetUtcNow(), false, e.Message, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        site.LastCheck = check;
        db.AuditEvents.Add(new AuditEvent
        {
            At = check.CheckedAt,
            Action = "site.check",
            ResourceType = "site",
            ResourceId = site.Id.ToString(),
            Outcome = check.Ok ? "success" : "failure",
            Detail = System.Text.Json.JsonSerializer.Serialize(new { message = check.Message }),
        });
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger<SiteCheckJob>().LogInformation("Site {Site} check: {Outcome} ({Message})", site.Name, check.Ok ? "ok" : "failed", check.Message);
    }
}
