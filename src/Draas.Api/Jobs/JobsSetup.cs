using Draas.Api.Configuration;
using Draas.Workflows.Notifications;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;
using Draas.Workflows.Sites;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Draas.Api.Jobs;

/// <summary>
/// Hangfire on PostgreSQL, in the service process. The storage is registered explicitly (not via
/// the static JobStorage.Current) so each host, including test hosts, uses its own database.
/// </summary>
public static class JobsSetup
{
    public static void AddDraasJobs(this IServiceCollection services, string connectionString, JobsOptions jobs, bool runWorkers)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            // Installing the schema is a write, in a serializable transaction a hot standby refuses
            // (Hangfire.PostgreSql 1.21 logs that and carries on): ActiveRoleService installs it with
            // InstallSchema once the database is writable, so a standby never tries.
            PrepareSchemaIfNecessary = false,
            // Enqueuing sends NOTIFY new_job on commit and idle workers LISTEN for it, so pickup takes
            // milliseconds; the poll interval stays as the fallback for a notification lost with a connection.
            EnableLongPolling = jobs.LongPolling,
            QueuePollInterval = TimeSpan.FromMilliseconds(jobs.PollIntervalMs),
            // A job held by a worker that died (say, with the primary site) is taken again after this;
            // live workers keep their jobs invisible with a heartbeat, however long they run.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeout),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddTransient<SiteCheckJob>();
        services.AddSingleton<SiteSessionPool>();
        services.AddSingleton<ArrayReferences>();
        services.AddSingleton<TenantCapture>();
        services.AddTransient<StorageReconciler>();
        services.AddTransient<ProtectPlanJob>();
        services.AddSingleton<ImageReplicator>();
        services.AddSingleton<WebhookClient>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<RunEvents>();
        services.AddSingleton<MailRelay>();
        services.AddTransient<NotificationDelivery>();
        services.AddTransient<ReplicationMonitorJob>();
        AddRuns(services);
        services.AddSingleton(new StepLeases(TimeSpan.FromSeconds(jobs.StepLeaseSeconds)));
        // The servers, and the run watchdog that re-queues steps of dead workers, start when the database
        // is writable, not with the host (ActiveRoleService): each of them writes.
        IReadOnlyList<BackgroundJobServerOptions> pools = runWorkers
            ? [Pool("general", JobsOptions.Queues, jobs.Workers, jobs.PollIntervalMs), Pool("failover", ["failover"], jobs.FailoverWorkers, jobs.PollIntervalMs)]
            : [];
        IReadOnlyList<Type> companions = runWorkers ? [typeof(RunWatchdog), typeof(WaitPoller)] : [];
        services.AddSingleton(sp => new JobServers(sp, sp.GetRequiredService<JobStorage>(), pools, companions, sp.GetRequiredService<ILogger<JobServers>>()));
    }

    /// <summary>Recovery runs: the launcher (API and schedules), the engine, one job per step, and the step kinds.</summary>
    private static void AddRuns(IServiceCollection services)
    {
        services.AddHttpClient("health");
        services.AddTransient<RunLauncher>();
        services.AddTransient<PlanRemoval>();
        services.AddTransient<ScheduledDrillsJob>();
        services.AddTransient<RunEngine>();
        services.AddTransient<StepJob>();
        services.AddTransient<StepAttempt>();
        services.AddSingleton<RunPumps>();
        services.AddTransient<RunReports>();
        services.AddTransient<RunEffects>();
        services.AddTransient<IStepHandler, PreflightStep>();
        services.AddTransient<IStepHandler, StopServerStep>();
        services.AddTransient<IStepHandler, ReplicateNowStep>();
        services.AddTransient<IStepHandler, DemoteSourceStep>();
        services.AddTransient<IStepHandler, PromoteVolumeStep>();
        services.AddTransient<IStepHandler, ImportVolumeStep>();
        services.AddTransient<IStepHandler, EnsureFlavorStep>();
        services.AddTransient<IStepHandler, EnsureKeypairStep>();
        services.AddTransient<IStepHandler, BootServerStep>();
        services.AddTransient<IStepHandler, EnsureNetworkStep>();
        services.AddTransient<IStepHandler, EnsureRouterStep>();
        services.AddTransient<IStepHandler, EnsureSecurityGroupsStep>();
        services.AddTransient<IStepHandler, EnsureServerGroupStep>();
        services.AddTransient<IStepHandler, EnsurePortStep>();
        services.AddTransient<IStepHandler, EnsureFloatingIpStep>();
        services.AddTransient<IStepHandler, HealthCheckStep>();
        services.AddTransient<IStepHandler, CanaryWriteStep>();
        services.AddTransient<IStepHandler, CanaryCheckStep>();
        services.AddTransient<IStepHandler, CleanupStep>();
        services.AddTransient<IStepHandler, ReprotectStep>();
        services.AddTransient<IStepHandler, FencePrimaryStep>();
        services.AddTransient<IStepHandler, RestartPrimaryStep>();
        services.AddTransient<IStepHandler, Draas.Workflows.Hooks.WebhookStep>();
        services.AddTransient<Draas.Workflows.Hooks.Approvals>();
        services.AddTransient<CommitDecisions>();
        services.AddTransient<IStepHandler, RollbackStep>();
    }

    public const string Schema = "hangfire";

    /// <summary>Creates or upgrades Hangfire's tables (idempotent); only against a writable database.</summary>
    public static void InstallSchema(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, Schema);
    }

    private static BackgroundJobServerOptions Pool(string pool, string[] queues, int workers, int pollMs) => new()
    {
        Queues = queues,
        WorkerCount = workers,
        SchedulePollingInterval = TimeSpan.FromMilliseconds(pollMs),
        ServerName = $"draas:{Environment.MachineName}:{Environment.ProcessId}:{pool}",
    };
}
