using System.Text.Json.Nodes;
using Draas.Tests.Api;
using Draas.Tests.Support;

namespace Draas.Tests.Jobs;

/// <summary>A site check is a real Hangfire job on PostgreSQL that records its outcome in the database.</summary>
[TestFixture]
public sealed class SiteCheckJobTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await RunningService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private async Task<JsonNode> CheckAsync(string siteName, string password)
    {
        var site = (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, new
        {
            site = new { name = siteName, auth_url = _service.Keystone.AuthUrl, username = "site-admin-" + siteName, project_name = "admin", password },
        })).Body!["site"]!;
        var id = site["id"]!.GetValue<string>();

        var (status, body, response) = await _service.SendAsync(HttpMethod.Post, $"/v1/sites/{id}/action", Admin, new { check = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        Assert.That(body!["check"]!["job_id"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/v1/sites/{id}"));

        return await Eventually.WaitForAsync(async () =>
        {
            var shown = (await _service.SendAsync(HttpMethod.Get, $"/v1/sites/{id}", Admin)).Body!["site"]!;
            return shown["last_check"] is JsonObject check ? check : null;
        }, "the site check job to record its result");
    }

    [Test]
    public async Task A_site_whose_Keystone_accepts_the_stored_password_is_recorded_reachable()
    {
        _service.Keystone.AcceptPassword("site-admin-site-ok", "the-right-password");

        var check = await CheckAsync("site-ok", "the-right-password");

        Assert.That(check["ok"]!.GetValue<bool>(), Is.True, check.ToJsonString());
        Assert.That(check["message"]!.GetValue<string>(), Is.EqualTo("authenticated"));
        var outcome = await _service.Database.ScalarAsync<string>("SELECT outcome FROM audit_events WHERE action = 'site.check' ORDER BY id DESC LIMIT 1");
        Assert.That(outcome, Is.EqualTo("success"));
        // Hangfire marks the job after the job's own commit, so its state follows a moment later.
        await Eventually.WaitForAsync(async () =>
            await _service.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job ORDER BY id DESC LIMIT 1") == "Succeeded" ? "yes" : null,
            "Hangfire to record the job as succeeded");
    }

    [Test]
    public async Task A_site_whose_Keystone_refuses_the_password_is_recorded_unreachable_with_the_reason()
    {
        var check = await CheckAsync("site-bad", "a-wrong-password");

        Assert.That(check["ok"]!.GetValue<bool>(), Is.False);
        Assert.That(check["message"]!.GetValue<string>(), Does.Contain("POST").And.Contain("/v3/auth/tokens").And.Contain("404"));
    }
}
