using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Draas.Data;

public static class DatabaseSetup
{
    /// <summary>The one way every process configures the database: Npgsql, snake_case names, retries.</summary>
    /// <remarks>The service leaves no session state on its connections (no session locks, LISTEN or SET), so they
    /// skip the reset (<c>DISCARD ALL</c>, one more statement and transaction per use) when they go back to the
    /// pool. That gives them a pool of their own: Hangfire's connections, which LISTEN, keep the reset.</remarks>
    public static DbContextOptionsBuilder UseDraasPostgres(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString,
                npgsql => npgsql.MigrationsHistoryTable("__migrations"))
            .UseSnakeCaseNamingConvention();

    /// <summary>The configured connection string as one of the service's own pools: Npgsql keeps a pool per
    /// connection string, so a pool named apart (<c>Application Name</c> draas-api, draas-jobs; also what
    /// <c>pg_stat_activity</c> shows) is a pool apart, with its own size.</summary>
    public static string Pool(string connectionString, string name, int? maxSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName = builder.ApplicationName is { Length: > 0 } given ? $"{given}-{name}" : $"draas-{name}";
        if (maxSize is { } max) builder.MaxPoolSize = max;
        return builder.ConnectionString;
    }

    /// <summary>Applies pending migrations. EF Core locks the history table, so several processes may race here safely.</summary>
    public static async Task<IReadOnlyList<string>> UpgradeAsync(DraasDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0) await db.Database.MigrateAsync(ct);
        return pending;
    }

    /// <summary>True when the database is a read-only standby (streaming replica).</summary>
    public static async Task<bool> IsStandbyAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
