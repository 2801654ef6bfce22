using Draas.Api.Configuration;
using Draas.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Draas.Api.Http;

/// <summary>
/// The gauges read from the shared state when Prometheus scrapes (the same in every instance): jobs waiting in
/// each Hangfire queue, steps running in a worker, steps parked on a cloud wait (holding no worker), steps waiting
/// for a retry (pending with a not-before time), and notifications not yet delivered.
/// </summary>
public static class RunGauges
{
    private static readonly Gauge QueueDepth = Metrics.CreateGauge("draas_job_queue_depth", "Jobs enqueued and not yet taken, by Hangfire queue.", "queue");
    private static readonly Gauge Steps = Metrics.CreateGauge("draas_steps_in_flight", "Steps of unfinished runs: running (queued for or in a worker), parked (waiting for a cloud, holding no worker) or waiting (a retry due later).", "state");
    private static readonly Gauge Undelivered = Metrics.CreateGauge("draas_notifications_pending", "Notifications queued and not yet delivered.");

    public static void Register(IServiceProvider services)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            try
            {
                var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
                foreach (var queue in JobsOptions.Queues) QueueDepth.WithLabels(queue).Set(monitoring.EnqueuedCount(queue));
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DraasDbContext>();
                var counts = await db.Database.SqlQuery<Count>($"""
                    SELECT CASE WHEN state = 'running' AND waiting_for IS NOT NULL AND coalesce((waiting_for::jsonb ->> 'woken')::boolean, false) = false THEN 'parked'
                                WHEN state = 'running' THEN 'running' ELSE 'waiting' END AS "Name", count(*)::int AS "Value"
                    FROM steps WHERE state = 'running' OR (state = 'pending' AND not_before IS NOT NULL) GROUP BY 1
                    """).ToListAsync(ct);
                foreach (var state in new[] { "running", "parked", "waiting" })
                    Steps.WithLabels(state).Set(counts.SingleOrDefault(c => c.Name == state)?.Value ?? 0);
                Undelivered.Set(await db.Notifications.CountAsync(n => n.State == Domain.Notifications.NotificationState.Pending, ct));
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
            {
                // A scrape during a database outage still shows the process's own figures.
            }
        });
    }

    private sealed record Count(string Name, int Value);
}
