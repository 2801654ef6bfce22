using Npgsql;

namespace Draas.Tests.Security;

/// <summary>
/// Every row of the service's tables as ordered JSON, table by table, so two dumps compare exactly and a
/// difference names its table. The service's schema (<c>public</c>) entirely; of Hangfire's schema the
/// tables that hold work and schedules (a refused request must not enqueue a job or change a recurring
/// one), but not its own bookkeeping: <c>server</c> (heartbeats), <c>lock</c> (distributed locks),
/// <c>counter</c>/<c>aggregatedcounter</c> (statistics) and <c>schema</c> (its version).
/// </summary>
public static class DatabaseDump
{
    public static readonly string[] HangfireBookkeeping = ["server", "lock", "counter", "aggregatedcounter", "schema"];

    public static async Task<SortedDictionary<string, string>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND (table_schema = 'public' OR (table_schema = 'hangfire' AND NOT table_name = ANY($1))) ORDER BY 1", connection))
        {
            list.Parameters.AddWithValue(HangfireBookkeeping);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var dump = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // Ordered by the row's own text: a stable order for any table, with or without a key.
            await using var rows = new NpgsqlCommand($"SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM (SELECT row_to_json(t) AS r FROM {table} t) x", connection);
            dump[table] = (string)(await rows.ExecuteScalarAsync())!;
        }
        return dump;
    }

    /// <summary>The tables whose rows differ, each with its first differing line before and after.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t =>
            {
                var b = (before.GetValueOrDefault(t) ?? "").Split('\n');
                var a = (after.GetValueOrDefault(t) ?? "").Split('\n');
                return $"{t}: {b.Length} rows before, {a.Length} after; before-only: {b.Except(a).FirstOrDefault()}; after-only: {a.Except(b).FirstOrDefault()}";
            })];

    public static long Bytes(IReadOnlyDictionary<string, string> dump) => dump.Values.Sum(v => (long)v.Length);
}
