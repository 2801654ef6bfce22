using Npgsql;

namespace Draas.Benchmarks.Harness;

/// <summary>A fresh database on the shared cluster for one service, dropped afterwards; and its
/// transaction counters, which is what "database round trips" means here.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private BenchDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString, string label)
    {
        // ./tox -e bench tags its databases so it can drop them even if this process dies.
        var tag = Environment.GetEnvironmentVariable("DRAAS_BENCH_TAG") ?? $"{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";
        var name = $"draas_bench_{tag}_{label}";
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
        return new BenchDatabase(adminConnectionString, name);
    }

    /// <summary>Committed plus rolled-back transactions of this database so far (pg_stat_database). Every
    /// autocommit statement is one, an explicit transaction with many statements is one too. PostgreSQL
    /// publishes a backend's counts when it goes idle (within about 10 s), so read after <see cref="SettleAsync"/>.</summary>
    public async Task<long> TransactionsAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = @n", connection);
        command.Parameters.AddWithValue("n", Name);
        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits out PostgreSQL's idle-flush interval so the counters include what just happened.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(11));

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)").ConfigureAwait(false); }
        catch (NpgsqlException e) { Console.Error.WriteLine($"[bench] could not drop {Name}: {e.Message}"); }
    }
}
