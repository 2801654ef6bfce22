using Draas.Api.Hosting;
using Draas.Api.Jobs;
using Draas.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Ha;

/// <summary>
/// Against an ordinary (writable) database the service is the active one from the start: runs in
/// ./tox -e test, where the Ha category's two clusters are not needed.
/// </summary>
[TestFixture]
public sealed class ActiveDatabaseTests
{
    [Test]
    public async Task Against_a_writable_database_the_service_is_active_and_runs_its_job_servers()
    {
        await using var service = await RunningService.StartAsync();

        var (status, health, _) = await service.SendAsync(HttpMethod.Get, "/healthz", token: null);

        Assert.That(status, Is.EqualTo(200), health?.ToJsonString());
        Assert.That(health!["ha_role"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(health["job_servers"]!.GetValue<string>(), Is.EqualTo("running"));
        Assert.That(service.Services.GetRequiredService<DatabaseRole>().IsStandby, Is.False);
        Assert.That(await service.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"), Is.EqualTo(2));
    }

    [Test]
    public async Task An_api_only_process_is_active_but_runs_no_job_servers()
    {
        await using var service = await RunningService.StartAsync(role: "api");

        var health = (await service.SendAsync(HttpMethod.Get, "/healthz", token: null)).Body!;

        Assert.That(health["ha_role"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(health["job_servers"]!.GetValue<string>(), Is.EqualTo("stopped"));
        Assert.That(service.Services.GetRequiredService<JobServers>().Pools, Is.Empty);
    }

    [Test]
    public async Task A_write_that_reaches_a_read_only_database_is_a_503_fault_not_a_500()
    {
        await using var service = await RunningService.StartAsync();
        // The database turns read-only under the service between two role checks.
        await service.Database.ExecuteAsync($"ALTER DATABASE \"{service.Database.Name}\" SET default_transaction_read_only = on");
        Npgsql.NpgsqlConnection.ClearAllPools();

        var (status, fault, _) = await service.SendAsync(HttpMethod.Post, "/v1/sites", KeystoneStandIn.AdminToken, new
        {
            site = new { name = "late", auth_url = "http://127.0.0.1:9/v3", username = "u", project_name = "admin", password = "p" },
        });

        Assert.That(status, Is.EqualTo(503), fault?.ToJsonString());
        Assert.That(fault!["serviceUnavailable"]!["message"]!.GetValue<string>(), Does.Contain("read-only standby"));
    }

    [Test]
    public async Task A_service_restarted_while_a_killed_process_still_holds_a_recurring_jobs_lock_starts_and_becomes_active_when_it_lapses()
    {
        await using var first = await RunningService.StartAsync();
        await first.StopHostAsync();
        // What a SIGKILL during the recurring-job scheduler's turn leaves behind: its lock row, fresh.
        await first.Database.ExecuteAsync("DELETE FROM hangfire.lock");
        await first.Database.ExecuteAsync(
            "INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES ('hangfire:lock:recurring-job:notification-delivery', 0, now() at time zone 'utc')");

        await using var second = await RunningService.StartAsync(sharedDatabase: first.Database);

        var health = (await second.SendAsync(HttpMethod.Get, "/healthz", token: null)).Body!;
        Assert.That(health["ha_role"]!.GetValue<string>(), Is.EqualTo("standby"), "it could not register the recurring jobs, so it is not active yet");
        Assert.That(health["job_servers"]!.GetValue<string>(), Is.EqualTo("stopped"));

        await first.Database.ExecuteAsync("DELETE FROM hangfire.lock"); // the lock times out
        await Eventually.WaitForAsync(async () =>
            (await second.SendAsync(HttpMethod.Get, "/healthz", token: null)).Body!["job_servers"]!.GetValue<string>() == "running" ? "running" : null,
            "the next role check to make the service active");
        Assert.That(second.Services.GetRequiredService<DatabaseRole>().IsStandby, Is.False);
    }
}
