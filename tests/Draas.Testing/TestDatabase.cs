using System.Collections.Concurrent;
using Draas.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Draas.Testing;

/// <summary>
/// A fresh PostgreSQL database on the cluster ./tox started (DRAAS_TEST_PG_SERVER), named after the
/// run's database (DRAAS_TEST_DATABASE) so ./tox drops it with the run; dropped on dispose too.
/// <see cref="CreateMigratedAsync()"/> copies a template migrated once per test run (schema and Hangfire's),
/// so a service start finds nothing to migrate: a copy takes a fraction of the time migrating takes.
/// The benchmarks name theirs (<see cref="CreateAsync(string, string)"/>) so ./tox -e bench can drop them by its tag.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static int _counter;

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The cluster's maintenance connection this database was made with (to read cluster-wide views without counting as its own transaction).</summary>
    public string ServerConnectionString { get; }

    private TestDatabase(string server, string name)
    {
        ServerConnectionString = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    public static string Server =>
        Environment.GetEnvironmentVariable("DRAAS_TEST_PG_SERVER")
        ?? "Host=127.0.0.1;Port=54329;Username=draas;Password=draas-local;Database=postgres";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();

    private static string Prefix => Environment.GetEnvironmentVariable("DRAAS_TEST_DATABASE") ?? $"draas_test_adhoc_{Environment.ProcessId}";

    /// <summary>An empty database (for the tests of migrations themselves).</summary>
    public static Task<TestDatabase> CreateAsync() => CreateAsync(Server);

    /// <param name="server">Another cluster's maintenance connection string (the HA tests' primary).</param>
    public static Task<TestDatabase> CreateAsync(string server) => CreateAsync(server, $"{Prefix}_{Interlocked.Increment(ref _counter)}");

    /// <summary>An empty database of the given name on <paramref name="server"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(string server, string name)
    {
        await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\"");
        return new TestDatabase(server, name);
    }

    /// <summary>A database with every migration applied and Hangfire's schema installed, as a service leaves it.</summary>
    public static Task<TestDatabase> CreateMigratedAsync() => CreateMigratedAsync(Server);

    public static async Task<TestDatabase> CreateMigratedAsync(string server)
    {
        var template = await Templates.GetOrAdd(server, s => new Lazy<Task<string>>(() => MigrateTemplateAsync(s))).Value;
        var name = $"{Prefix}_{Interlocked.Increment(ref _counter)}";
        // PostgreSQL copies a template only while nobody is connected to it; the template's own connections
        // are closed once it is made, so a refusal here is another copy starting at the same moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
                return new TestDatabase(server, name);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    private static async Task<string> MigrateTemplateAsync(string server)
    {
        var name = $"{Prefix}_template";
        await ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\"");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<DraasDbContext>();
        options.UseDraasPostgres(connection);
        await using (var db = new DraasDbContext(options.Options)) await db.Database.MigrateAsync();
        Draas.Api.Jobs.JobsSetup.InstallSchema(connection);
        // ./tox drops a run's databases by its prefix; without one (ha, realcloud, ceph) the template goes with this process.
        if (Environment.GetEnvironmentVariable("DRAAS_TEST_DATABASE") is null)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
        return name;
    }

    private static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The same database seen through another server (a streaming replica has every database of its primary).</summary>
    public TestDatabase On(string server) => new(server, Name);

    /// <summary>A DbContext on this database, configured as the service configures its own.</summary>
    public DraasDbContext Context()
    {
        var options = new DbContextOptionsBuilder<DraasDbContext>();
        options.UseDraasPostgres(ConnectionString);
        return new DraasDbContext(options.Options);
    }

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
        await ExecuteOnServerAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
