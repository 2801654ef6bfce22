using Draas.Api.Configuration;
using Draas.Api.Jobs;
using Draas.Data;
using Draas.Workflows.Notifications;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Draas.Api.Hosting;

/// <summary>
/// Does the active site's duties exactly while the database is writable: at start-up and then every
/// <c>[database] role_check_interval</c> seconds it asks the database whether it is a standby. On a
/// writable database it applies migrations (when <c>auto_migrate</c>), installs the job storage's
/// schema, registers the cluster-wide recurring jobs and starts this process's job servers, then
/// reports active. Against a standby it does none of that (each is a write) and reports standby; a
/// standby that is promoted becomes active on the next check, with no manual step.
/// </summary>
public sealed class ActiveRoleService(
    DatabaseRole role,
    DatabaseOptions database,
    JobServers servers,
    IServiceProvider services,
    ILogger<ActiveRoleService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The first check, before the host starts: an unreachable database stops start-up here; a failed
    /// activation does not (the loop retries it).</summary>
    public async Task StartupAsync(CancellationToken ct)
    {
        var standby = await role.DatabaseIsStandbyAsync(ct);
        if (standby) logger.LogWarning("The database is a read-only standby: serving reads only, no jobs, until it is promoted");
        try
        {
            await ApplyAsync(standby, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A process killed a moment ago may still hold a lock becoming active needs (a recurring job's,
            // until the lock times out): serve reads and let the check loop retry, rather than die at start-up.
            logger.LogError(e, "Becoming active at start-up failed; serving reads only and retrying every {Interval} s", database.RoleCheckInterval);
        }
    }

    /// <summary>Checks the database once and follows it (the loop's step; tests may call it directly).</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        bool standby;
        try
        {
            standby = await role.DatabaseIsStandbyAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // An unreachable database changes nothing here: the job servers retry on their own, and a
            // vanished primary is the operator's (or the cluster manager's) call to fail over.
            logger.LogWarning("Cannot ask the database for its role, keeping {Role}: {Error}", role.Current, e.Message);
            return;
        }
        await ApplyAsync(standby, ct);
    }

    private async Task ApplyAsync(bool standby, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (standby && !role.IsStandby)
            {
                logger.LogWarning("The database became a read-only standby: stopping job servers, refusing changes");
                role.Set(DatabaseRole.Standby);
                await servers.StopAsync(ct);
            }
            else if (!standby && role.IsStandby)
            {
                await ActivateAsync(ct);
                role.Set(DatabaseRole.Active);
                logger.LogInformation("The database is writable: this service is active");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ActivateAsync(CancellationToken ct)
    {
        if (database.AutoMigrate)
        {
            await using var scope = services.CreateAsyncScope();
            var applied = await DatabaseSetup.UpgradeAsync(scope.ServiceProvider.GetRequiredService<DraasDbContext>(), ct);
            if (applied.Count > 0) logger.LogInformation("Applied migrations: {Migrations}", string.Join(", ", applied));
        }
        JobsSetup.InstallSchema(database.Connection);
        // Every process keeps the cluster-wide schedules registered (AddOrUpdate is idempotent).
        services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ReplicationMonitorJob>(ReplicationMonitorJob.RecurringId, "default", job => job.RunAsync(CancellationToken.None), "* * * * *");
        services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<NotificationDelivery>(NotificationDelivery.RecurringId, "default", job => job.DeliverDueAsync(CancellationToken.None), "* * * * *");
        services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ScheduledDrillsJob>(ScheduledDrillsJob.RecurringId, "drills", job => job.RunAsync(CancellationToken.None), "* * * * *");
        await servers.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(database.RoleCheckInterval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken); // wall-clock time, even when jobs run on a simulated clock
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A failed activation (say, a migration) is retried on the next check; until then: standby.
                logger.LogError(e, "Becoming active failed; retrying in {Interval}", interval);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await servers.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
