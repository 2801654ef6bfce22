using System.Diagnostics;
using System.Text.Json.Nodes;
using Draas.Api.Hosting;
using Draas.Tests.Runs;
using Draas.Tests.Support;
using Draas.Workflows.Notifications;
using Draas.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Notifications;

/// <summary>
/// The operator hears about a drill without watching a screen, and can follow it in a trace: the tenant's
/// webhook receives each run event once, signed; the tenant's contacts receive each by e-mail through an SMTP
/// relay (a real SMTP server on loopback); the drill is one trace (run, a span per step, the OpenStack and array
/// requests under their step); /metrics counts the run and its steps.
/// </summary>
[NonParallelizable]
public sealed class DrillNotificationsAndTracesTests
{
    private const string Secret = "hook-secret-of-the-shop-tenant";
    private TenantInTheLab _t = null!;
    private LoopbackSmtp _smtp = null!;
    private WireMockServer _webhook = null!;
    private readonly Spans _spans = new();

    /// <summary>The exporter adds from whichever thread ends a span.</summary>
    private sealed class Spans : System.Collections.ObjectModel.Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            lock (this) base.InsertItem(index, item);
        }

        public List<Activity> Snapshot()
        {
            lock (this) return [.. this];
        }
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _smtp = LoopbackSmtp.Start();
        _webhook = WireMockServer.Start();
        _webhook.Given(Request.Create().WithPath("/hooks/dr").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        _t = await TenantInTheLab.StartAsync(
            extra: new Dictionary<string, string?>
            {
                ["notifications:host"] = "127.0.0.1",
                ["notifications:port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["notifications:starttls"] = "false",
                ["notifications:from"] = "draas@dr.example",
            },
            configure: services => services.AddOpenTelemetry().WithTracing(t => t.AddDraasSources().AddInMemoryExporter(_spans)));
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin,
            new { protection = new { webhook_url = _webhook.Urls[0] + "/hooks/dr", webhook_secret = Secret } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["protection"]!["webhook_secret_set"]!.GetValue<bool>(), Is.True);
        Assert.That(body.ToJsonString(), Does.Not.Contain(Secret), "the secret is write-only");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _t.DisposeAsync();
        _webhook.Stop();
        await _smtp.DisposeAsync();
    }

    [Test]
    public async Task A_drill_is_told_once_per_event_by_signed_webhook_and_by_mail_and_is_one_trace_of_its_steps_and_requests()
    {
        var run = await _t.RunAsync("drill");
        Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        var runId = run["id"]!.GetValue<string>();

        // The delivery log shows both events delivered on both channels (the fixture's tenant has one contact).
        var log = await Eventually.WaitForAsync(async () =>
        {
            var (_, body, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/notifications?resource_id={runId}", TenantInTheLab.Member);
            var rows = body!["notifications"]!.AsArray();
            return rows.Count == 4 && rows.All(r => r!["state"]!.GetValue<string>() == "delivered") ? rows : null;
        }, "the drill's notifications to be delivered", TimeSpan.FromSeconds(60));
        Assert.That(log.Select(r => $"{r!["event"]} {r["channel"]}"), Is.EquivalentTo(new[]
        {
            "run.started webhook", "run.started email", "run.succeeded webhook", "run.succeeded email",
        }));

        // Give a retry or a second worker time to tell anything twice.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var calls = _webhook.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.That(calls.Select(c => JsonNode.Parse(c.Body!)!["event"]!.GetValue<string>()), Is.EqualTo(new[] { "run.started", "run.succeeded" }), "each event once, in order");
        // The service runs on the lab's (fast) clock: the receiver's "now" is that clock.
        var now = _t.Lab.Clock.GetUtcNow();
        foreach (var call in calls)
        {
            var timestamp = call.Headers![WebhookSignature.TimestampHeader].Single();
            var signature = call.Headers[WebhookSignature.SignatureHeader].Single();
            Assert.That(WebhookSignature.Verify(Secret, timestamp, signature, call.Body!, now, TimeSpan.FromMinutes(30)), Is.True, "signed with the protection's secret");
            Assert.That(WebhookSignature.Verify("another-tenants-secret!", timestamp, signature, call.Body!, now, TimeSpan.FromMinutes(30)), Is.False);
            Assert.That(JsonNode.Parse(call.Body!)!["detail"]!["run_id"]!.GetValue<string>(), Is.EqualTo(runId));
        }
        var mails = _smtp.Messages.ToList();
        Assert.That(mails, Has.Count.EqualTo(2), "one mail per event to the one contact");
        Assert.That(mails.Select(m => m.To.Mailboxes.Single().Address), Is.All.EqualTo("oncall@shop.example"));
        Assert.That(mails.Select(m => m.Subject), Has.Some.Contains("drill of plan shop-all succeeded"));
        Assert.That(mails.Select(m => m.Headers["X-Draas-Event-Id"]).Distinct().Count(), Is.EqualTo(2));

        // One trace: the run's root, a span per step attempt under it, the clouds' and arrays' requests under their step.
        var traceId = Eventually.WaitForAsync(() => Task.FromResult(_spans.Snapshot().FirstOrDefault(s => s.Source.Name == RunTracing.SourceName && s.GetTagItem("draas.run.id") as string == runId)), "the run's root span").Result.TraceId;
        var trace = _spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
        var root = trace.Single(s => s.ParentSpanId == default);
        Assert.That(root.DisplayName, Is.EqualTo("run drill"));
        // A step that waited for the cloud (parked, holding no worker) runs on in a second span, marked resumed.
        var allSteps = trace.Where(s => s.DisplayName.StartsWith("step ", StringComparison.Ordinal)).ToList();
        var steps = allSteps.Where(s => s.GetTagItem("draas.step.resumed") is null).ToList();
        var resumed = allSteps.Except(steps).ToList();
        Assert.That(steps, Has.Count.EqualTo(run["steps"]!.AsArray().Count), "a span per step (no step was retried in this drill)");
        Assert.That(resumed.Select(s => s.GetTagItem("draas.step.sequence")), Is.SubsetOf(steps.Select(s => s.GetTagItem("draas.step.sequence"))), "only a step that ran resumes");
        Assert.That(resumed.Select(s => s.DisplayName), Is.All.EndsWith(" resumed"));
        Assert.That(allSteps.Select(s => s.ParentSpanId), Is.All.EqualTo(root.SpanId));
        Assert.That(steps.Select(s => s.DisplayName), Does.Contain("step promote_volume").And.Contain("step boot_server").And.Contain("step import_volume"));
        Assert.That(trace.Single(s => s.DisplayName == "run.finished").ParentSpanId, Is.EqualTo(root.SpanId));
        var requests = trace.Where(s => s.Kind == ActivityKind.Client).ToList();
        var stepIds = allSteps.Select(s => s.SpanId).ToHashSet();
        Assert.That(requests, Is.Not.Empty);
        // A request may sit under another (a Keystone token fetched inside a call): its step is its nearest step ancestor.
        var byId = trace.ToDictionary(s => s.SpanId);
        ActivitySpanId? StepOf(Activity span)
        {
            for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var p); parent = p.ParentSpanId)
                if (stepIds.Contains(p.SpanId)) return p.SpanId;
            return null;
        }
        Assert.That(requests.Where(r => StepOf(r) is null).Select(r => $"{r.DisplayName} {r.GetTagItem("url.full")} under {(byId.TryGetValue(r.ParentSpanId, out var p) ? p.DisplayName : "?")}"),
            Is.Empty, "every request under a step");
        Assert.That(requests.Count(r => stepIds.Contains(r.ParentSpanId)), Is.GreaterThan(requests.Count / 2), "most requests directly under their step");
        var boot = steps.First(s => s.DisplayName == "step boot_server");
        Assert.That(requests.Where(r => StepOf(r) == boot.SpanId).Select(r => r.GetTagItem("url.full") as string), Has.Some.Contains("/servers"), "boot_server's Nova calls are its children");
        var promote = steps.First(s => s.DisplayName == "step promote_volume");
        Assert.That(requests.Where(r => StepOf(r) == promote.SpanId).Select(r => r.GetTagItem("server.port")), Is.Not.Empty, "promote_volume's FlashArray calls are its children");

        // /metrics counts what the workers did.
        var (_, metrics, _) = await _t.Service.SendAsync(HttpMethod.Get, "/metrics", TenantInTheLab.Admin);
        var text = metrics!.ToString();
        Assert.That(text, Does.Match("draas_runs_total\\{kind=\"drill\",state=\"succeeded\"\\} [1-9]"));
        Assert.That(text, Does.Match("draas_step_duration_seconds_count\\{kind=\"boot_server\"\\} [1-9]"));
        Assert.That(text, Does.Match("draas_step_attempts_total\\{kind=\"promote_volume\",state=\"succeeded\"\\} [1-9]"));
        Assert.That(text, Does.Contain("draas_job_queue_depth{queue=\"drills\"}"));
        Assert.That(text, Does.Contain("draas_steps_in_flight{state=\"running\"} 0"));
    }
}
