using System.Diagnostics;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Domain.Audit;
using Draas.Domain.Sites;
using Draas.Domain.Time;
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
            var asked = clock.GetUtcNow();
            var token = await session.GetTokenInfoAsync(ct);
            var answered = clock.GetUtcNow();
            // Keystone stamps the token with its own clock while the request is in flight: its distance from the
            // middle of the request is the skew between the site's clock and the service's.
            double? skew = token.IssuedAt is { } issued ? Math.Round((issued - (asked + (answered - asked) / 2)).TotalSeconds, 1) : null;
            var message = ClockSkew.Significant(skew) ? "authenticated; " + ClockSkew.SiteSkew(site.Name, skew!.Value) : "authenticated";
            check = new SiteCheck(answered, true, message, Stopwatch.GetElapsedTime(started).TotalMilliseconds, skew);
        }
        catch (Exception e) when (e is OpenStackException or ArgumentException or InvalidOperationException)
        {
            check = new SiteCheck(clock.GetUtcNow(), false, e.Message, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        site.LastCheck = check;
        db.AuditEvents.Add(AuditEvent.Of(check.CheckedAt, "site.check", "site", site.Id.ToString(), check.Ok, detail: new { message = check.Message }));
        await db.SaveChangesAsync(ct);
        loggers.CreateLogger<SiteCheckJob>().LogInformation("Site {Site} check: {Outcome} ({Message})", site.Name, check.Ok ? "ok" : "failed", check.Message);
    }
}
