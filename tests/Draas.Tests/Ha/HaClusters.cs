using System.Diagnostics;
using Draas.Tests.Support;
using Npgsql;

namespace Draas.Tests.Ha;

/// <summary>
/// The service's own database on two sites, as ./tox -e ha sets it up: a PostgreSQL primary and its
/// streaming replica on loopback. DRAAS_HA_PRIMARY and DRAAS_HA_STANDBY are their maintenance
/// connection strings; DRAAS_HA_CTL is the command that resets the pair, promotes the replica or
/// SIGKILLs the primary. Without them the Ha tests are ignored, saying why.
/// </summary>
public sealed class HaClusters
{
    public const string Category = "Ha";

    public string PrimaryServer { get; }

    public string StandbyServer { get; }

    private readonly string _ctl;

    private HaClusters(string primary, string standby, string ctl)
    {
        PrimaryServer = primary;
        StandbyServer = standby;
        _ctl = ctl;
    }

    public static HaClusters FromEnvironment()
    {
        var primary = Environment.GetEnvironmentVariable("DRAAS_HA_PRIMARY");
        var standby = Environment.GetEnvironmentVariable("DRAAS_HA_STANDBY");
        var ctl = Environment.GetEnvironmentVariable("DRAAS_HA_CTL");
        if (string.IsNullOrEmpty(primary) || string.IsNullOrEmpty(standby) || string.IsNullOrEmpty(ctl))
            Assert.Ignore("needs a PostgreSQL primary and its streaming replica: DRAAS_HA_PRIMARY, DRAAS_HA_STANDBY and DRAAS_HA_CTL are not set (./tox -e ha starts them and sets them)");
        return new HaClusters(primary!, standby!, ctl!);
    }

    /// <summary>A fresh primary and a fresh replica streaming from it.</summary>
    public async Task ResetAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await CtlAsync("reset");
    }

    /// <summary><c>pg_ctl promote</c> on the replica: it leaves recovery and takes writes.</summary>
    public Task PromoteStandbyAsync() => CtlAsync("promote");

    /// <summary>SIGKILL to the primary's postmaster and all its backends, as if its site vanished.</summary>
    public async Task KillPrimaryAsync()
    {
        await CtlAsync("kill-primary");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new database on the primary, and the same database as the replica serves it once replayed.</summary>
    public async Task<(TestDatabase Primary, TestDatabase Standby)> CreateDatabaseAsync()
    {
        var primary = await TestDatabase.CreateAsync(PrimaryServer);
        await WaitForStandbyToReplayAsync();
        return (primary, primary.On(StandbyServer));
    }

    /// <summary>Waits until the replica has replayed everything the primary has written so far.</summary>
    public async Task WaitForStandbyToReplayAsync()
    {
        string lsn;
        await using (var connection = new NpgsqlConnection(PrimaryServer))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", connection);
            lsn = (string)(await command.ExecuteScalarAsync())!;
        }
        await Eventually.WaitForAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(StandbyServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn", connection);
            command.Parameters.AddWithValue("lsn", lsn);
            return (bool)(await command.ExecuteScalarAsync())! ? "replayed" : null;
        }, $"the replica to replay the primary's WAL up to {lsn}");
    }

    private async Task CtlAsync(string action)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"{_ctl} {action}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        TestContext.Progress.WriteLine($"[ha] {action}: {(await stderr).Trim()}");
        Assert.That(process.ExitCode, Is.Zero, $"{_ctl} {action} failed: {await stdout}{await stderr}");
    }
}
