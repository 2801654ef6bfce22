using System.Diagnostics;
using Npgsql;

namespace Draas.Tests.Reliability;

/// <summary>
/// A PostgreSQL cluster of the test's own under the temp directory, on a free loopback port, so a test
/// may stop and start it while a run goes on: the shared cluster on 54329 serves other test runs and is
/// never touched. Made with Debian's server binaries (initdb, pg_ctl) as the 'postgres' user when the
/// tests run as root, as ./tox -e pg does; without them the test is ignored, saying why.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private const string User = "draas";
    private const string Password = "draas-chaos-local";

    private readonly string _bin;
    private readonly string _dir;

    private PrivateCluster(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The maintenance connection string (database postgres).</summary>
    public string Server => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database=postgres;Timeout=5";

    private string Data => Path.Combine(_dir, "data");

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null) Assert.Ignore("needs PostgreSQL's server binaries under /usr/lib/postgresql/*/bin (./tox -e pg installs them)");
        var dir = Path.Combine(Path.GetTempPath(), $"draas-chaos-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var cluster = new PrivateCluster(bin!, dir, FreePort());
        try
        {
            await cluster.InitAsync();
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitAsync()
    {
        var pwfile = Path.Combine(_dir, ".pw");
        await File.WriteAllTextAsync(pwfile, Password + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(pwfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Environment.UserName == "root") await RunAsync("chown", ["-R", "postgres:postgres", _dir]);
        await AsPostgresAsync("initdb", ["-D", Data, "-U", User, $"--pwfile={pwfile}", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]);
        File.Delete(pwfile);
        await File.AppendAllTextAsync(Path.Combine(Data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{_dir}'
            max_connections = 100
            fsync = off
            full_page_writes = off

            """);
    }

    private Task StartServerAsync() =>
        AsPostgresAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "start"]);

    /// <summary>Stops the server at once (<c>-m immediate</c>: no checkpoint, every connection cut, as a crash),
    /// keeps it down for <paramref name="down"/>, and starts it again (crash recovery replays the WAL).</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await AsPostgresAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "-t", "60", "stop"]);
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(down);
        await StartServerAsync();
    }

    private Task AsPostgresAsync(string tool, string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            try { await AsPostgresAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "-t", "30", "stop"]); }
            catch (InvalidOperationException e) { TestContext.Progress.WriteLine($"[chaos] stopping the private cluster: {e.Message}"); }
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
