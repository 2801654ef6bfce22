using System.Text.Json;
using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Workflows.Sites;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Draas.Workflows.Protection;

/// <summary>
/// One protection cycle of a plan: capture its tenant from the site the plan runs at (a new manifest only when
/// the content hash changed, the drift in the audit log), then make the arrays replicate exactly the
/// volumes captured, so a volume attached later is protected within one cycle.
/// </summary>
public sealed class ProtectPlanJob(DraasDbContext db, SiteSessionPool sessions, TenantCapture capture, StorageReconciler storage, ImageReplicator images, TimeProvider clock, ILogger<ProtectPlanJob> logger)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid planId, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Resources).SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            logger.LogInformation("Plan {PlanId} was deleted before its capture ran", planId);
            return;
        }
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == plan.ProtectionId, ct);
        var placement = PlanPlacement.Of(protection, plan);
        if (placement.FailedOver)
        {
            logger.LogInformation("Plan {Plan} is failed over: nothing to protect until it is reprotected", plan.Name);
            return;
        }
        // Captured where this plan runs (the recovery site after its reprotect), whatever the tenant's other plans do.
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == placement.SiteId, ct);
        var project = placement.ProjectId;

        var content = await capture.CaptureAsync(sessions.For(site), plan, ct, project);
        var json = ManifestCodec.ToJson(content);
        var hash = ManifestCodec.Hash(json);
        await RecordAsync(plan, content, json, hash, ct);
        var problems = (await storage.ReconcileAsync(plan, content, ct)).ToList();
        var recoverySite = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == placement.OtherSiteId, ct);
        // Image copies are shared with the project a recovery would boot them in: the one at the other site.
        var otherProject = placement.OtherProjectId;
        problems.AddRange(await images.EnsureAsync(sessions.For(site), sessions.For(recoverySite), content.Images,
            otherProject, otherProject is { } shareTo ? sessions.For(recoverySite, shareTo) : null, ct));
        if (problems.Count > 0) logger.LogWarning("Plan {Plan} is not fully protected: {Problems}", plan.Name, string.Join("; ", problems));
    }

    private async Task RecordAsync(Plan plan, ManifestContent content, string json, string hash, CancellationToken ct)
    {
        var latest = await db.Manifests.AsNoTracking().Where(m => m.PlanId == plan.Id).OrderByDescending(m => m.Sequence).FirstOrDefaultAsync(ct);
        if (latest?.ContentHash == hash) return;

        var now = clock.GetUtcNow();
        var manifest = new Manifest { Id = Guid.NewGuid(), PlanId = plan.Id, Sequence = (latest?.Sequence ?? 0) + 1, CapturedAt = now, ContentHash = hash, Content = json };
        db.Manifests.Add(manifest);
        db.AuditEvents.Add(AuditEvent.OfPlan(plan, now, latest is null ? "manifest.capture" : "manifest.drift", ok: true, new
        {
            sequence = manifest.Sequence,
            missing = content.Missing,
            diff = latest is null ? null : ManifestCodec.Diff(latest.Content, json),
        }));
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Plan {Plan}: manifest {Sequence} ({Servers} servers, {Volumes} volumes)", plan.Name, manifest.Sequence, content.Servers.Count, content.Volumes.Count);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: "23505" })
        {
            // Another worker stored this capture's sequence first; its manifest is as current as ours.
            db.ChangeTracker.Clear();
        }
    }
}
