using System.Text.Json.Nodes;
using Draas.Tests.Support;
using Draas.Workflows.Hooks;
using Draas.Workflows.Notifications;

namespace Draas.Tests.Runs;

/// <summary>
/// The operator stays in control of a failover: the tenant's plan calls their own automation (a signed
/// webhook, as AWX or Rundeck would receive it) before the servers boot, and asks a person before the
/// second priority group boots. The receiver hangs the first time, so the run fails at that hook and is
/// resumed in place; then it waits for approval, holding no worker, until an admin approves (a member may
/// not); the last webhook sees every server with its recovered id and addresses.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HooksAndApprovalsTests
{
    private const string Secret = "s3cret-shared-with-awx-0001";

    private TenantInTheLab _t = null!;
    private HookReceiver _receiver = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _receiver = new HookReceiver();
        _t = await TenantInTheLab.StartAsync();
        // The protection's notifications go to a receiver that is down today: the outbox still records each event once.
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin,
            new { protection = new { webhook_url = "http://127.0.0.1:9/dr-events" } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _t.DisposeAsync();
        _receiver.Dispose();
    }

    private static IEnumerable<JsonNode> Steps(JsonNode run, string kind) => run["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == kind).Select(s => s!);

    private object[] Hooks() =>
    [
        new { when = "before", phase = "boot", type = "webhook", url = _receiver.Url + "before-boot", timeout = 2, on_error = "fail", secret = Secret },
        new { when = "after", priority_group = 1, type = "approval", message = "Check the web tier before the database comes up" },
        new { when = "after", priority_group = 2, type = "webhook", url = _receiver.Url + "after-db", timeout = 30, on_error = "fail", secret = Secret },
    ];

    [Test, Order(1)]
    public async Task Hooks_are_refused_when_malformed_and_stored_with_their_secret_encrypted_and_never_shown()
    {
        var (bad, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin,
            new { plan = new { hooks = new object[] { new { when = "during", phase = "boot", type = "webhook", url = "ftp://x", timeout = 0 } } } });
        Assert.That(bad, Is.EqualTo(400), body?.ToJsonString());
        Assert.That(body!.ToJsonString(), Does.Contain("plan.hooks[0].when").And.Contain("plan.hooks[0].timeout").And.Contain("plan.hooks[0].url"));

        var (status, stored, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin, new { plan = new { hooks = Hooks() } });
        Assert.That(status, Is.EqualTo(200), stored?.ToJsonString());
        var shown = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!;
        Assert.That(shown.ToJsonString(), Does.Not.Contain(Secret).And.Not.Contain("ciphertext"), "the secret is write-only");
        Assert.That(shown["plan"]!["hooks"]![0]!["has_secret"]!.GetValue<bool>(), Is.True);

        await using var connection = new Npgsql.NpgsqlConnection(_t.Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select hooks::text from plans where id = '{_t.Plan}'", connection);
        var column = (string)(await command.ExecuteScalarAsync())!;
        Assert.That(column, Does.Contain("secret_ciphertext").And.Not.Contain(Secret), "encrypted at rest");
    }

    [Test, Order(2)]
    public async Task The_dry_run_and_the_runbook_show_each_hook_where_it_runs()
    {
        var (status, dry, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "failover", dry_run = true } });
        Assert.That(status, Is.EqualTo(200), dry?.ToJsonString());
        var steps = dry!["run"]!["steps"]!.AsArray().Select(s => s!).ToList();
        int Seq(JsonNode s) => s["sequence"]!.GetValue<int>();
        var before = steps.Single(s => s["kind"]!.GetValue<string>() == "webhook" && s["target"]!.GetValue<string>() == "before phase boot");
        var approval = steps.Single(s => s["kind"]!.GetValue<string>() == "approval");
        var boots = steps.Where(s => s["kind"]!.GetValue<string>() == "boot_server").ToList();
        var db = boots.Single(b => b["input"]!["name"]!.GetValue<string>() == "db");
        Assert.That(boots.All(b => b["depends_on"]!.AsArray().Any(d => d!.GetValue<int>() == Seq(before))), "every server boots after the before-boot webhook");
        Assert.That(db["depends_on"]!.AsArray().Select(d => d!.GetValue<int>()), Does.Contain(Seq(approval)), "the database boots only after the approval");
        Assert.That(approval["depends_on"]!.AsArray().Select(d => d!.GetValue<int>()),
            Is.SupersetOf(boots.Where(b => b != db).Select(Seq)), "the approval comes after every server of priority group 1");

        var runbook = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_t.Protection}/runbook", TenantInTheLab.Admin);
        var text = await runbook.Response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("the run waits for approval").And.Contain(_receiver.Url + "before-boot"));
    }

    [Test, Order(3)]
    public async Task A_failover_calls_signed_webhooks_in_order_fails_at_a_hook_that_times_out_resumes_and_waits_for_an_approval()
    {
        // The operator's automation hangs today: the before-boot hook gets no answer within its 2 s.
        _receiver.Delay = TimeSpan.FromSeconds(10);
        var (status, started, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind = "failover" } });
        Assert.That(status, Is.EqualTo(202), started?.ToJsonString());
        var id = started!["run"]!["id"]!.GetValue<string>();

        var failed = await _t.WaitForStateAsync(id, "failed", "succeeded", "awaiting_approval");
        Assert.That(failed["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(failed));
        var hook = Steps(failed, "webhook").First();
        Assert.That(hook["state"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(hook["error"]!.GetValue<string>(), Does.Contain("did not answer within its timeout of 2 s"));
        Assert.That(Steps(failed, "boot_server").Select(s => s["state"]!.GetValue<string>()), Is.All.EqualTo("skipped"), "no server booted past the failed hook");

        // The receiver is fixed; the run goes on in place.
        _receiver.Delay = TimeSpan.Zero;
        var (resumed, answer, _) = await _t.RunActionAsync(id, "resume");
        Assert.That(resumed, Is.EqualTo(202), answer?.ToJsonString());

        var waiting = await _t.WaitForStateAsync(id, "awaiting_approval", "failed", "succeeded");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), TenantInTheLab.Describe(waiting));
        var db = Steps(waiting, "boot_server").Single(s => s["name"]!.GetValue<string>() == "db");
        Assert.That(db["state"]!.GetValue<string>(), Is.EqualTo("pending"), "the database waits for the approval");
        Assert.That(Steps(waiting, "approval").Single()["hook"]!["input"]!["message"]!.GetValue<string>(), Does.Contain("web tier"));

        // Waiting for a person holds no Hangfire worker, and the run stays waiting however long it takes.
        var storage = (Hangfire.JobStorage)_t.Service.Services.GetService(typeof(Hangfire.JobStorage))!;
        await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().ProcessingCount() == 0 ? "idle" : null), "no job processing while the run waits", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That((await _t.RunViewAsync(id))["state"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"));

        // The on-call hears that the run waits for them: one run.awaiting_approval event, however often the run was pumped.
        var told = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/notifications?event=run.awaiting_approval&resource_id={id}", TenantInTheLab.Admin)).Body!["notifications"]!.AsArray();
        Assert.That(told.Select(n => n!["channel"]!.GetValue<string>()), Is.EqualTo(new[] { "webhook" }), told.ToJsonString());

        var (denied, _, _) = await _t.RunActionAsync(id, "approve", TenantInTheLab.Member);
        Assert.That(denied, Is.EqualTo(403), "a member may not approve the admin's failover");
        var (approved, body, _) = await _t.RunActionAsync(id, "approve");
        Assert.That(approved, Is.EqualTo(202), body?.ToJsonString());
        var (twice, again, _) = await _t.RunActionAsync(id, "approve");
        Assert.That(twice, Is.EqualTo(409), again?.ToJsonString());
        var approvedAt = DateTimeOffset.UtcNow;

        var done = await _t.WaitForStateAsync(id, "succeeded", "failed", "cancelled");
        Assert.That(done["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(done));
        var decision = Steps(done, "approval").Single()["hook"]!["output"]!;
        Assert.That(decision["approved_by"]!.GetValue<string>(), Is.EqualTo("admin"));
        var report = await _t.ReportAsync(id);
        Assert.That(report["hooks"]!.AsArray().Select(h => $"{h!["kind"]} {h["at"]} {h["state"]}"),
            Is.EqualTo(new[] { "webhook before phase boot succeeded", "approval after priority_group 1 succeeded", "webhook after priority_group 2 succeeded" }));
        Assert.That(report["hooks"]![1]!["outcome"]!["approved_by"]!.GetValue<string>(), Is.EqualTo("admin"), "the report says who approved");

        // The receiver saw the same before-boot call twice (the attempt that timed out, then the resumed one), then the after-db call.
        var calls = _receiver.Calls;
        Assert.That(calls.Select(c => c.Path), Is.EqualTo(new[] { "/before-boot", "/before-boot", "/after-db" }));
        Assert.That(calls[0].IdempotencyKey, Is.EqualTo(calls[1].IdempotencyKey), "a retry of the same step carries the same key");
        Assert.That(calls[2].At, Is.GreaterThan(approvedAt.AddSeconds(-1)), "the after-db hook ran only after the approval");
        foreach (var call in calls)
        {
            Assert.That(WebhookSignature.Verify(Secret, call.Timestamp, call.Signature, call.Body, _t.Lab.Clock.GetUtcNow(), TimeSpan.FromHours(1)), Is.True, $"signed: {call.Signature}");
            Assert.That(WebhookSignature.Verify("another-secret-entirely", call.Timestamp, call.Signature, call.Body, _t.Lab.Clock.GetUtcNow(), TimeSpan.FromHours(1)), Is.False);
            Assert.That(WebhookSignature.Verify(Secret, call.Timestamp, call.Signature, call.Body + " ", _t.Lab.Clock.GetUtcNow(), TimeSpan.FromHours(1)), Is.False, "a changed body fails");
        }
        Assert.That(WebhookSignature.Verify(Secret, calls[2].Timestamp, calls[2].Signature, calls[2].Body, _t.Lab.Clock.GetUtcNow().AddDays(1), TimeSpan.FromMinutes(5)), Is.False,
            "a replayed call a day later is rejected by its timestamp");

        var last = JsonNode.Parse(calls[2].Body)!;
        Assert.That(last["run"]!["id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(last["step"]!["at"]!.GetValue<string>(), Is.EqualTo("after priority_group 2"));
        var servers = last["servers"]!.AsArray();
        Assert.That(servers.Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web", "app", "db" }));
        foreach (var server in servers)
        {
            var recovered = server!["recovered_id"]?.GetValue<string>();
            Assert.That(recovered, Is.Not.Null.And.Not.EqualTo(server["server_id"]!.GetValue<string>()), "the recovered server is a new one at the recovery site");
            Assert.That(_t.Lab.SiteB.OpenStack.ServerStatus(recovered!), Is.EqualTo("ACTIVE"), "the id is the recovery site's real server");
            Assert.That(server["addresses"]!.AsArray(), Is.Not.Empty);
        }
        var first = JsonNode.Parse(calls[1].Body)!;
        Assert.That(first["servers"]!.AsArray().All(s => s!["recovered_id"] is null), "before the boot nothing is recovered yet");
    }
}
