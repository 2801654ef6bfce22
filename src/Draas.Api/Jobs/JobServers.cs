using Draas.Workflows.Runs;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Draas.Api.Jobs;

/// <summary>
/// This process's Hangfire job servers, started and stopped on demand instead of with the host: a
/// service whose database is a standby must not run them (every fetch would be a write), and must
/// start them once the database is promoted. <see cref="Hosting.ActiveRoleService"/> decides when.
/// </summary>
/// <param name="companions">Hosted services that run only alongside the job servers (the run watchdog), a new instance each start.</param>
public sealed class JobServers(IServiceProvider services, JobStorage storage, IReadOnlyList<BackgroundJobServerOptions> pools, IReadOnlyList<Type> companions, ILogger<JobServers> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<BackgroundJobServer> _running = [];
    private List<IHostedService> _companions = [];

    /// <summary>True while this process's job servers are running.</summary>
    public bool Running => _running.Count > 0;

    /// <summary>The server pools this process runs when active (none for the api role).</summary>
    public IReadOnlyList<BackgroundJobServerOptions> Pools => pools;

    public async Task StartAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (Running || pools.Count == 0) return;
            using (var scope = services.CreateScope()) StepHandlers.EnsureComplete(scope.ServiceProvider.GetServices<IStepHandler>());
            // Jobs are activated from DI with the registered filters, as AddHangfireServer would do.
            var activator = (JobActivator?)services.GetService(typeof(JobActivator)) ?? JobActivator.Current;
            var filters = (IJobFilterProvider?)services.GetService(typeof(IJobFilterProvider)) ?? JobFilterProviders.Providers;
            _running = pools.Select(pool =>
            {
                pool.Activator ??= activator;
                pool.FilterProvider ??= filters;
                return new BackgroundJobServer(pool, storage, []);
            }).ToList();
            _companions = companions.Select(type => (IHostedService)ActivatorUtilities.CreateInstance(services, type)).ToList();
            foreach (var companion in _companions) await companion.StartAsync(ct);
            logger.LogInformation("Job servers started: {Servers}", string.Join(", ", pools.Select(p => $"{p.ServerName} ({p.WorkerCount} workers: {string.Join(",", p.Queues)})")));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!Running) return;
            var running = _running;
            _running = [];
            foreach (var companion in _companions)
            {
                await companion.StopAsync(ct);
                (companion as IDisposable)?.Dispose();
            }
            _companions = [];
            foreach (var server in running) server.SendStop();
            foreach (var server in running)
            {
                try
                {
                    await server.WaitForShutdownAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    // Shutdown deadline reached: Dispose below abandons what is left, Hangfire requeues it.
                }
                server.Dispose();
            }
            logger.LogInformation("Job servers stopped");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _gate.Dispose();
    }
}
