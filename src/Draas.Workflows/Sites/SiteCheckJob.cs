using System.Diagnostics;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Audit;
using Draas.Domain.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Sites;

/// <summary>
/// Checks that the service can still authenticate to a site's Keystone with the stored credential,
/// and records the outcome on the site and in the audit log. A failed check is a result, not a job
/// failure, so Hangfire does not retry it.
/// </summary>
public sealed class SiteCheckJob(DraasDbContext db, SecretProtector secrets, SiteAuthenticator authenticator, TimeProvider clock, ILogger<SiteCheckJob> logger)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid siteId, CancellationToken ct)
    {
        var site = await db.Sites.SingleOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
        {
            logger.LogInformation("Site {SiteId} was deleted before its check ran", siteId);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        SiteCheck check;
        try
        {
            await authenticator.AuthenticateAsync(site, secrets.Unprotect(site.SecretCiphertext), ct);
            check = new SiteCheck(clock.GetUtcNow(), true, "authenticated", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (SiteAuthenticationException e)
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
        logger.LogInformation("Site {Site} check: {Outcome} ({Message})", site.Name, check.Ok ? "ok" : "failed", check.Message);
    }
}
