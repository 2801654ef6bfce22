using System.Diagnostics;
using Draas.Benchmarks.Harness;
using Draas.Benchmarks.Results;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Draas.Benchmarks.Benchmarks;

/// <summary>
/// Benchmark 6: Hangfire.PostgreSql on this machine, in this process, with the service's storage settings
/// and worker count: enqueue N empty jobs, then start a server and time until all have succeeded. What is
/// left is the cost of dispatch itself (fetch, state changes, heartbeat), not of any step.
/// </summary>
public static class HangfireDispatch
{
    private static int _done;
    private static TaskCompletionSource _all = new();
    private static int _target;

    /// <summary>The job: nothing, so the measurement is Hangfire's.</summary>
    public static void Empty()
    {
        if (Interlocked.Increment(ref _done) == _target) _all.TrySetResult();
    }

    public static async Task RunAsync(BenchOptions options, Section section)
    {
        var workers = int.Parse(BenchLab.Overrides["jobs:workers"], System.Globalization.CultureInfo.InvariantCulture);
        var poll = int.Parse(BenchLab.Overrides["jobs:poll_interval_ms"], System.Globalization.CultureInfo.InvariantCulture);
        section.Size = $"{options.DispatchJobs} empty jobs, {workers} workers, queue poll {poll} ms";
        await using var database = await BenchQueries.CreateDatabaseAsync(options.PgAdmin, "hangfire").ConfigureAwait(false);
        Draas.Api.Jobs.JobsSetup.InstallSchema(database.ServiceConnectionString());
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = Draas.Api.Jobs.JobsSetup.Schema,
            PrepareSchemaIfNecessary = false,
            QueuePollInterval = TimeSpan.FromMilliseconds(poll),
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ServiceConnectionString(), storageOptions), storageOptions);
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        var client = new BackgroundJobClient(storage);
        _done = 0;
        _target = options.DispatchJobs;
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var enqueue = Stopwatch.StartNew();
        var sem = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, options.DispatchJobs).Select(async _ =>
        {
            await sem.WaitAsync().ConfigureAwait(false);
            try { await Task.Run(() => client.Enqueue(() => Empty())).ConfigureAwait(false); }
            finally { sem.Release(); }
        })).ConfigureAwait(false);
        var enqueued = enqueue.Elapsed.TotalSeconds;

        var run = Stopwatch.StartNew();
        using (var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, SchedulePollingInterval = TimeSpan.FromMilliseconds(poll) }, storage))
        {
            var finished = await Task.WhenAny(_all.Task, Task.Delay(TimeSpan.FromMinutes(10))).ConfigureAwait(false);
            var drained = run.Elapsed.TotalSeconds;
            if (finished != _all.Task) section.Notes.Add($"only {_done} of {options.DispatchJobs} jobs ran within 10 minutes");
            section.Add("dispatch: jobs per second", _done / drained, "jobs/s", $"{_done} jobs drained in {drained:0.##} s by {workers} workers");
            section.Add("enqueue: jobs per second", options.DispatchJobs / enqueued, "jobs/s", "8 concurrent clients");
            server.SendStop();
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
