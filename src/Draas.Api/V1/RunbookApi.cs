using Draas.Api.Policy;
using Draas.Data;
using Draas.Domain.Manifests;
using Draas.Domain.Runs;
using Draas.Storage;
using Draas.Workflows.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.V1;

/// <summary><c>GET /v1/protections/{id}/runbook</c>: the tenant's DR runbook in Markdown, generated from its plans.</summary>
public static class RunbookApi
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/protections/{id}/runbook", async (string id, HttpContext context, DraasDbContext db,
        PolicyEnforcer policy, StoragePluginCatalog plugins, TimeProvider clock) =>
    {
        var ct = context.RequestAborted;
        var protection = await Lookup.FindAsync(db.Protections.AsNoTracking(), id, "Protection", guid => p => p.Id == guid, ct);
        TenantScope.EnsureVisible(context, policy, "protection", protection.PrimaryProjectId, "Protection", protection.Id);
        var sites = await db.Sites.AsNoTracking().Where(s => s.Id == protection.PrimarySiteId || s.Id == protection.RecoverySiteId).ToListAsync(ct);
        var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
        var parts = new List<Runbook.PlanPart>();
        foreach (var plan in await db.Plans.AsNoTracking().Include(p => p.Resources).Where(p => p.ProtectionId == protection.Id).OrderBy(p => p.Name).ToListAsync(ct))
        {
            var manifest = await db.Manifests.AsNoTracking().Where(m => m.PlanId == plan.Id).OrderByDescending(m => m.Sequence).FirstOrDefaultAsync(ct);
            if (manifest is null)
            {
                parts.Add(new Runbook.PlanPart(plan, [], 0, 0, null));
                continue;
            }
            var content = ManifestCodec.FromJson(manifest.Content);
            var groups = await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == plan.Id).ToListAsync(ct);
            var steps = RunPlanner.Plan(new PlanningInput(RunKind.Failover, protection, plan, content, groups, arrays, new RunOptions(), a => plugins.Get(a.Plugin)));
            parts.Add(new Runbook.PlanPart(plan, steps, content.Servers.Count, content.Volumes.Count, manifest.CapturedAt));
        }
        var markdown = Runbook.Render(protection, sites.Single(s => s.Id == protection.PrimarySiteId), sites.Single(s => s.Id == protection.RecoverySiteId), parts, clock.GetUtcNow());
        return Results.Text(markdown, "text/markdown; charset=utf-8");
    });
}
