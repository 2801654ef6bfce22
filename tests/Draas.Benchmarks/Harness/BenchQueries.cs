using Draas.Testing;
using Npgsql;

namespace Draas.Benchmarks.Harness;

/// <summary>What the benchmarks read from a service's database: its transaction counters (what "database round
/// trips" means here), the runs that ended and the processes that took steps.</summary>
public static class BenchQueries
{
    /// <summary>An empty database on the shared cluster for one service (the service migrates it), dropped
    /// afterwards. ./tox -e bench tags its databases so it can drop them even if this process dies.</summary>
    public static Task<TestDatabase> CreateDatabaseAsync(string adminConnectionString, string label)
    {
        var tag = Environment.GetEnvironmentVariable("DRAAS_BENCH_TAG") ?? $"{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";
        return TestDatabase.CreateAsync(adminConnectionString, $"draas_bench_{tag}_{label}");
    }

    /// <summary>The connection string the service is given: the cluster's as the operator wrote it, on this database
    /// (no pool size of the tests' own: the service sizes its pools from what it is given).</summary>
    public static string ServiceConnectionString(this TestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ServerConnectionString) { Database = database.Name }.ConnectionString;

    /// <summary>Committed plus rolled-back transactions of this database so far (pg_stat_database). Every
    /// autocommit statement is one, an explicit transaction with many statements is one too. PostgreSQL
    /// publishes a backend's counts when it goes idle (within about 10 s), so read after <see cref="SettleAsync"/>.</summary>
    public static async Task<long> TransactionsAsync(this TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ServerConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = @n", connection);
        command.Parameters.AddWithValue("n", database.Name);
        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The runs of <paramref name="ids"/> that have ended: id, state and finished_at (unix seconds). The
    /// harness follows a wave here, not through the API, so its own polling is not the service's load.</summary>
    public static async Task<List<(string Id, string State, double FinishedAt)>> EndedRunsAsync(this TestDatabase database, IReadOnlyCollection<string> ids)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id::text, state, extract(epoch FROM finished_at)::float8 FROM runs WHERE id = ANY(@ids) AND state IN ('succeeded', 'failed', 'cancelled')", connection);
        command.Parameters.AddWithValue("ids", ids.Select(Guid.Parse).ToArray());
        var ended = new List<(string, string, double)>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false)) ended.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2)));
        return ended;
    }

    /// <summary>The process ids whose Hangfire servers took step jobs since <paramref name="since"/> (a Processing
    /// state's ServerId is <c>draas:host:pid:pool:guid</c>, see JobsSetup).</summary>
    public static async Task<List<int>> StepProcessesAsync(this TestDatabase database, DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT split_part(s.data::jsonb->>'ServerId', ':', 3)
            FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND s.createdat >= @since AND j.invocationdata::text LIKE '%StepJob%'
            """, connection);
        command.Parameters.AddWithValue("since", since.UtcDateTime);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
            if (int.TryParse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture, out var pid)) pids.Add(pid);
        return pids;
    }

    /// <summary>Waits out PostgreSQL's idle-flush interval so the counters include what just happened.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(11));
}
