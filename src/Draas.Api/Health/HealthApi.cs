using Draas.Api.Configuration;
using Draas.Api.Hosting;
using Draas.Api.Jobs;
using Draas.Api.V1;
using Draas.Data;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.Health;

/// <summary>
/// <c>GET /healthz</c>: can this process reach its database and its job storage, and is it the active
/// DR service or a standby (<c>ha_role</c>: its database is a read-only replica)? No auth, no secrets.
/// A healthy standby answers 200 too: route changes by <c>ha_role</c>, not by status.
/// </summary>
public static class HealthApi
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/healthz", async (DraasDbContext db, JobStorage storage, ServiceOptions service, DatabaseRole haRole, JobServers servers, CancellationToken ct) =>
    {
        var database = await Check(async () =>
        {
            if (!await db.Database.CanConnectAsync(ct)) throw new InvalidOperationException("cannot connect");
        });
        var jobs = await Check(() =>
        {
            using var connection = storage.GetConnection();
            connection.GetAllItemsFromSet("recurring-jobs"); // a real query against the Hangfire schema
            return Task.CompletedTask;
        });
        var ok = database == "ok" && jobs == "ok";
        return ApiJson.Ok(new { status = ok ? "ok" : "failing", role = service.Role, ha_role = haRole.Current, job_servers = servers.Running ? "running" : "stopped", checks = new { database, job_storage = jobs } }, ok ? 200 : 503);
    }).WithTags("Service");

    private static async Task<string> Check(Func<Task> probe)
    {
        try
        {
            await probe();
            return "ok";
        }
        catch (Exception e)
        {
            return "failing: " + e.GetType().Name;
        }
    }
}
