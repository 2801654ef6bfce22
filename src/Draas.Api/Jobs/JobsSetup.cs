using Draas.Api.Configuration;
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
        services.AddTransient<SiteAuthenticator>();
        services.AddTransient<SiteCheckJob>();
        if (runWorkers)
        {
            services.AddHangfireServer((provider, server) =>
            {
                server.Queues = JobsOptions.Queues;
                server.WorkerCount = jobs.Workers;
                server.SchedulePollingInterval = TimeSpan.FromMilliseconds(jobs.PollIntervalMs);
                server.ServerName = $"draas:{Environment.MachineName}:{Environment.ProcessId}";
            });
        }
    }
}
