using Draas.Api.Configuration;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;
using Draas.Workflows.Sites;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;

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
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(jobs.PollIntervalMs),
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
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
        services.AddTransient<ReplicationMonitorJob>();
        AddRuns(services);
        if (runWorkers)
        {
            services.AddHostedService<RunWatchdog>();
            AddServer(services, "general", JobsOptions.Queues, jobs.Workers, jobs.PollIntervalMs);
            AddServer(services, "failover", ["failover"], jobs.FailoverWorkers, jobs.PollIntervalMs);
        }
    }

    /// <summary>Recovery runs: the launcher (API and schedules), the engine, one job per step, and the step kinds.</summary>
    private static void AddRuns(IServiceCollection services)
    {
        services.AddHttpClient("health");
        services.AddTransient<RunLauncher>();
        services.AddTransient<RunEngine>();
        services.AddTransient<StepJob>();
        services.AddTransient<RunReports>();
        services.AddTransient<RunEffects>();
        services.AddTransient<IStepHandler, PreflightStep>();
        services.AddTransient<IStepHandler, StopServerStep>();
        services.AddTransient<IStepHandler, ReplicateNowStep>();
        services.AddTransient<IStepHandler, PromoteVolumeStep>();
        services.AddTransient<IStepHandler, ImportVolumeStep>();
        services.AddTransient<IStepHandler, EnsureFlavorStep>();
        services.AddTransient<IStepHandler, EnsureKeypairStep>();
        services.AddTransient<IStepHandler, BootServerStep>();
        services.AddTransient<IStepHandler, HealthCheckStep>();
        services.AddTransient<IStepHandler, CleanupStep>();
        services.AddTransient<IStepHandler, ReprotectStep>();
    }

    private static void AddServer(IServiceCollection services, string pool, string[] queues, int workers, int pollMs) =>
        services.AddHangfireServer((_, server) =>
        {
            server.Queues = queues;
            server.WorkerCount = workers;
            server.SchedulePollingInterval = TimeSpan.FromMilliseconds(pollMs);
            server.ServerName = $"draas:{Environment.MachineName}:{Environment.ProcessId}:{pool}";
        });
}
