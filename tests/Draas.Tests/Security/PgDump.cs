using System.Diagnostics;
using Npgsql;

namespace Draas.Tests.Security;

/// <summary>pg_dump's plain-text dump of a whole database (schema and data, every schema), as an operator's backup would hold it.</summary>
public static class PgDump
{
    public static async Task<string> PlainAsync(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Binary(), ["--host", c.Host!, "--port", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", c.Username!, "--no-password", "--format", "plain", c.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg_dump exited with {process.ExitCode}: {await errors}");
        return await output;
    }

    /// <summary>The newest server version's pg_dump (Debian keeps each under /usr/lib/postgresql/N/bin), else the one on PATH.</summary>
    private static string Binary() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault() ?? "pg_dump"
            : "pg_dump";
}
