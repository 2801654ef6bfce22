using Npgsql;

namespace Draas.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database on the cluster ./tox started (DRAAS_TEST_PG_SERVER), named after the
/// run's database (DRAAS_TEST_DATABASE) so ./tox drops it with the run; dropped on dispose too.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static int _counter;
    private readonly string _server;

    public string Name { get; }

    public string ConnectionString { get; }

    private TestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    public static string Server =>
        Environment.GetEnvironmentVariable("DRAAS_TEST_PG_SERVER")
        ?? "Host=127.0.0.1;Port=54329;Username=draas;Password=draas-local;Database=postgres";

    public static Task<TestDatabase> CreateAsync() => CreateAsync(Server);

    /// <param name="server">Another cluster's maintenance connection string (the HA tests' primary).</param>
    public static async Task<TestDatabase> CreateAsync(string server)
    {
        var prefix = Environment.GetEnvironmentVariable("DRAAS_TEST_DATABASE") ?? $"draas_test_adhoc_{Environment.ProcessId}";
        var name = $"{prefix}_{Interlocked.Increment(ref _counter)}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(server, name);
    }

    /// <summary>The same database seen through another server (a streaming replica has every database of its primary).</summary>
    public TestDatabase On(string server) => new(server, Name);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.AddWithValue(p);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
