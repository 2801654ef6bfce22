using Draas.Tests.Runs;
using Draas.Tests.Support;
using Draas.Workflows.Notifications;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Notifications;

/// <summary>
/// A tenant's webhook receiver is not always up: one that is busy twice hears the event once it is back, and
/// the delivery log shows the tries; one that refuses the call for good is reported with its own answer, once,
/// not called again every few minutes for a day.
/// </summary>
[NonParallelizable]
public sealed class WebhookRetryTests
{
    private TenantInTheLab _t = null!;
    private WireMockServer _receiver = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _receiver = WireMockServer.Start();
        // Busy (503), busy again, then accepted: what a receiver behind a restarting load balancer answers.
        _receiver.Given(Request.Create().WithPath("/hooks/flaky").UsingPost()).InScenario("flaky").WillSetStateTo("busy once")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("restarting"));
        _receiver.Given(Request.Create().WithPath("/hooks/flaky").UsingPost()).InScenario("flaky").WhenStateIs("busy once").WillSetStateTo("busy twice")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("restarting"));
        _receiver.Given(Request.Create().WithPath("/hooks/flaky").UsingPost()).InScenario("flaky").WhenStateIs("busy twice")
            .RespondWith(Response.Create().WithStatusCode(204));
        _receiver.Given(Request.Create().WithPath("/hooks/gone").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(410).WithBody("no such hook: it was deleted"));
        _t = await TenantInTheLab.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _t.DisposeAsync();
        _receiver.Stop();
    }

    [Test]
    public async Task A_receiver_that_is_busy_twice_gets_the_event_once_when_it_is_back_and_the_log_shows_the_tries()
    {
        var resource = await TellAsync("/hooks/flaky");

        // After the first try: still pending, with the receiver's answer kept for the operator.
        var first = await RowAsync(resource, r => r["attempts"]!.GetValue<int>() >= 1, "the first try", TimeSpan.FromSeconds(60));
        Assert.That(first["state"]!.GetValue<string>(), Is.EqualTo("pending"), first.ToJsonString());
        Assert.That(first["last_error"]!.GetValue<string>(), Does.Contain("503").And.Contain("restarting"));
        Assert.That(first["next_attempt_at"]!.GetValue<DateTimeOffset>(), Is.GreaterThan(first["created_at"]!.GetValue<DateTimeOffset>()), "the retry waits its backoff");

        // Backoff 10 s, then 30 s: delivered at the third try.
        var delivered = await RowAsync(resource, r => r["state"]!.GetValue<string>() != "pending", "the delivery", TimeSpan.FromSeconds(150));
        Assert.That(delivered["state"]!.GetValue<string>(), Is.EqualTo("delivered"), delivered.ToJsonString());
        Assert.That(delivered["attempts"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(delivered["last_error"], Is.Null);
        Assert.That(delivered["delivered_at"], Is.Not.Null);

        // Given time to send anything twice, the receiver saw three calls of the one event, and accepted one.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var calls = Calls("/hooks/flaky");
        Assert.That(calls.Select(c => Convert.ToInt32(c.ResponseMessage.StatusCode, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(new[] { 503, 503, 204 }));
        Assert.That(calls.Select(c => c.RequestMessage.Headers!["X-Draas-Event-Id"].Single()).Distinct().Count(), Is.EqualTo(1), "one event, sent again, not three events");
    }

    [Test]
    public async Task A_receiver_that_refuses_for_good_is_reported_with_its_answer_and_not_called_again()
    {
        var resource = await TellAsync("/hooks/gone");

        var failed = await RowAsync(resource, r => r["state"]!.GetValue<string>() != "pending", "the refusal", TimeSpan.FromSeconds(60));
        Assert.That(failed["state"]!.GetValue<string>(), Is.EqualTo("failed"), failed.ToJsonString());
        Assert.That(failed["attempts"]!.GetValue<int>(), Is.EqualTo(1), "a 410 will not change by asking again");
        Assert.That(failed["last_error"]!.GetValue<string>(), Does.Contain("410").And.Contain("no such hook: it was deleted"));

        // The minute's sweep and any scheduled retry pass over it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        NotificationDelivery.Kick(_t.Service.Services.GetRequiredService<IBackgroundJobClient>());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(Calls("/hooks/gone"), Has.Count.EqualTo(1));
    }

    /// <summary>Points the tenant's protection at <paramref name="path"/> and queues one event for it, as a run's state change does.</summary>
    private async Task<string> TellAsync(string path)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin,
            new { protection = new { webhook_url = _receiver.Urls[0] + path } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        var resource = Guid.NewGuid().ToString();
        using var scope = _t.Service.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Draas.Data.DraasDbContext>();
        var queued = await scope.ServiceProvider.GetRequiredService<NotificationOutbox>().AddAsync(db,
            new NotificationEvent("run.started", $"run:{resource}:run.started", Guid.Parse(_t.Protection), body!["protection"]!["primary_project_id"]!.GetValue<string>(),
                "run", resource, "drill of shop started", new { kind = "drill" }),
            _t.Lab.Clock.GetUtcNow(), CancellationToken.None);
        Assert.That(queued, Is.EqualTo(1), "one delivery: the webhook (the fixture sends no mail)");
        NotificationDelivery.Kick(_t.Service.Services.GetRequiredService<IBackgroundJobClient>());
        return resource;
    }

    private async Task<System.Text.Json.Nodes.JsonNode> RowAsync(string resource, Func<System.Text.Json.Nodes.JsonNode, bool> until, string what, TimeSpan timeout) =>
        await Eventually.WaitForAsync(async () =>
        {
            var (_, body, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/notifications?resource_id={resource}", TenantInTheLab.Admin);
            var row = body!["notifications"]!.AsArray().SingleOrDefault();
            return row is not null && until(row) ? row : null;
        }, what, timeout);

    private List<WireMock.Logging.ILogEntry> Calls(string path) =>
        [.. _receiver.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)];
}
