using System.Diagnostics;
using Npgsql;

namespace Draas.Tests.Tox;

/// <summary>
/// A newcomer's first command, as root with the checkout in a mode-700 directory (like root's home):
/// the cluster runs as 'postgres', who cannot enter the checkout, and ./tox -e pg must still start it.
/// The checkout here is this tree's own <c>tox</c> copied into a fresh 700 directory (the pg environment
/// needs nothing else, and a git clone would test the last commit, not the script under test). The
/// cluster listens on a free port, never the shared 54329, and is stopped by its postmaster's PID.
/// </summary>
[TestFixture]
public sealed class FirstRunTests
{
    private const string Password = "draas-local";

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Tox_starts_its_cluster_from_a_checkout_only_its_owner_may_enter()
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists("/usr/lib/postgresql")) Assert.Ignore("needs PostgreSQL's server binaries (./tox -e pg installs them)");
        var root = RepoRoot();
        var parent = Directory.CreateTempSubdirectory("draas-firstrun-");
        File.SetUnixFileMode(parent.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var checkout = Directory.CreateDirectory(Path.Combine(parent.FullName, "draas-service")).FullName;
        File.Copy(Path.Combine(root, "tox"), Path.Combine(checkout, "tox"));
        var port = FreePort();
        string? clusterDir = null;
        try
        {
            if (Environment.UserName == "root")
            {
                var peek = await RunAsync("runuser", ["-u", "postgres", "--", "test", "-r", Path.Combine(checkout, "tox")], "/");
                Assert.That(peek.ExitCode, Is.Not.Zero, "the 'postgres' user can read the checkout, so this test proves nothing");
            }

            var first = await RunAsync(Path.Combine(checkout, "tox"), ["-e", "pg"], checkout, port);
            Assert.That(first.ExitCode, Is.Zero, $"./tox -e pg failed:\n{first.Output}");
            clusterDir = ResolveClusterDir(checkout);
            await using (var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=draas;Password={Password};Database=postgres;Timeout=5"))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SHOW data_directory", connection);
                Assert.That((string?)await command.ExecuteScalarAsync(), Is.EqualTo(Path.Combine(clusterDir, "data")),
                    "the cluster answering is the one this checkout made");
            }

            var second = await RunAsync(Path.Combine(checkout, "tox"), ["-e", "pg"], checkout, port);
            Assert.That(second.ExitCode, Is.Zero, second.Output);
            Assert.That(second.Output, Does.Contain($"already accepting connections on 127.0.0.1:{port}"), "a running cluster is reused");
        }
        finally
        {
            clusterDir ??= TryResolveClusterDir(checkout);
            if (clusterDir is not null) await StopByPidAsync(Path.Combine(clusterDir, "data", "postmaster.pid"));
            if (clusterDir is not null && !clusterDir.StartsWith(parent.FullName, StringComparison.Ordinal))
                Directory.Delete(Path.GetDirectoryName(clusterDir)!, recursive: true);
            parent.Delete(recursive: true);
        }
    }

    private static string ResolveClusterDir(string checkout) =>
        TryResolveClusterDir(checkout) ?? throw new AssertionException("./tox -e pg left no .tox/pg");

    private static string? TryResolveClusterDir(string checkout)
    {
        var link = new DirectoryInfo(Path.Combine(checkout, ".tox", "pg"));
        if (!link.Exists) return null;
        return link.LinkTarget is { } target ? Path.GetFullPath(target, Path.Combine(checkout, ".tox")) : link.FullName;
    }

    private static async Task StopByPidAsync(string pidFile)
    {
        if (!File.Exists(pidFile)) return;
        var pid = int.Parse((await File.ReadAllLinesAsync(pidFile))[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        // SIGINT is PostgreSQL's fast shutdown: the postmaster ends its backends and then itself.
        await RunAsync("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], "/");
        await postmaster.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    private static string RepoRoot() => Draas.Tests.Support.RepoPaths.Root;

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string cwd, int? pgPort = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The newcomer's environment: no directory or password chosen for the cluster, only a port of its own.
        start.Environment.Remove("DRAAS_PG_DIR");
        start.Environment.Remove("DRAAS_PG_PASSWORD");
        if (pgPort is { } port) start.Environment["DRAAS_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        return (process.ExitCode, await output + await error);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
