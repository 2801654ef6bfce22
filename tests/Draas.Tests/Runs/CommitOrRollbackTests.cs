using System.Text.Json.Nodes;
using Draas.Tests.Reliability;
using Draas.Tests.Support;
using Draas.Workflows.Hooks;
using Draas.Workflows.Notifications;

namespace Draas.Tests.Runs;

/// <summary>
/// The operator decides after a failover whether to keep it (Zerto's commit or rollback). A failover of the
/// lab tenant calls the operator's signed webhook before the servers boot, waits for an approval after the
/// first priority group, and ends awaiting commit with the tenant running at the recovery site. A rollback
/// leaves the recovery site and both arrays as they were and starts the fenced primary again, audited from
/// the clouds, not from the service's account. A second failover that nobody decides takes its auto_action
/// when its commit_timeout passes; a third is committed, and the plan then runs at the recovery site.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CommitOrRollbackTests
{
    private const string Secret = "s3cret-for-the-commit-tests-01";

    private TenantInTheLab _t = null!;
    private HookReceiver _receiver = null!;
    private HookReceiver _events = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _receiver = new HookReceiver();
        _events = new HookReceiver();
        _t = await TenantInTheLab.StartAsync();
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_t.Protection}", TenantInTheLab.Admin,
            new { protection = new { webhook_url = _events.Url + "dr-events" } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _t.DisposeAsync();
        _receiver.Dispose();
        _events.Dispose();
    }

    private async Task<string> PlanStateAsync() =>
        (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Body!["plan"]!["state"]!.GetValue<string>();

    private async Task<Dictionary<string, string>> PrimaryServersAsync()
    {
        var states = new Dictionary<string, string>();
        foreach (var (name, id) in _t.Servers) states[name] = (await _t.TenantA.Compute.Servers.GetAsync(id, CancellationToken.None)).Status;
        return states;
    }

    [Test, Order(1)]
    public async Task Commit_options_are_refused_where_they_mean_nothing()
    {
        async Task<string> Refused(string kind, object options)
        {
            var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind, options, dry_run = true } });
            Assert.That(status, Is.EqualTo(400), body?.ToJsonString());
            return body!["badRequest"]!["message"]!.GetValue<string>();
        }
        Assert.That(await Refused("drill", new { commit = "manual" }), Does.Contain("a drill has nothing to commit or roll back"));
        Assert.That(await Refused("failover", new { commit = "later" }), Does.Contain("option 'commit' must be 'manual' or 'auto'"));
        Assert.That(await Refused("failover", new { commit = "auto", commit_timeout = 600, auto_action = "rollback" }), Does.Contain("need 'commit': 'manual'"));
        Assert.That(await Refused("failover", new { commit = "manual", commit_timeout = 600 }), Does.Contain("go together"));
        Assert.That(await Refused("failover", new { commit = "manual", commit_timeout = 600, auto_action = "abandon" }), Does.Contain("'auto_action' must be 'commit' or 'rollback'"));

        var (ok, dry, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _t.Plan, kind = "failover", dry_run = true, options = new { commit = "manual", commit_timeout = 3600, auto_action = "rollback" } } });
        Assert.That(ok, Is.EqualTo(200), dry?.ToJsonString());
        var steps = dry!["run"]!["steps"]!.AsArray().Select(s => s!).ToList();
        var decision = steps[^1];
        Assert.That(decision["kind"]!.GetValue<string>(), Is.EqualTo("commit"), "the dry run shows the decision as the run's last step");
        Assert.That(decision["depends_on"]!.AsArray().Count, Is.EqualTo(steps.Count - 1), "it waits for every other step");
        Assert.That(decision["input"]!["auto_action"]!.GetValue<string>(), Is.EqualTo("rollback"));
    }

    [Test, Order(2)]
    public async Task A_manual_commit_failover_waits_for_a_person_and_its_rollback_leaves_both_sites_and_arrays_as_they_were()
    {
        var (hooked, hookBody, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin, new
        {
            plan = new
            {
                hooks = new object[]
                {
                    new { when = "before", phase = "boot", type = "webhook", url = _receiver.Url + "before-boot", timeout = 30, on_error = "fail", secret = Secret },
                    new { when = "after", priority_group = 1, type = "approval", message = "Check the web tier before the database comes up" },
                },
            },
        });
        Assert.That(hooked, Is.EqualTo(200), hookBody?.ToJsonString());
        await _t.ProtectAsync();
        var before = await RecoveryAudit.FullInventoryAsync(_t);
        var planState = await PlanStateAsync();
        Assert.That((await PrimaryServersAsync()).Values, Is.All.EqualTo("ACTIVE"));

        var id = await _t.StartRunAsync("failover", new { commit = "manual" });
        await _t.WaitForStateAsync(id, "awaiting_approval");
        var (approved, approveBody, _) = await _t.RunActionAsync(id, "approve");
        Assert.That(approved, Is.EqualTo(202), approveBody?.ToJsonString());

        var waiting = await _t.WaitForStateAsync(id, "awaiting_commit", "failed", "succeeded");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_commit"), TenantInTheLab.Describe(waiting));
        var live = await _t.ReportAsync(id);
        var recovered = live["recovered"]!["servers"]!.AsArray();
        Assert.That(recovered.Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(_t.Servers.Keys), "the tenant runs at the recovery site while it waits");
        foreach (var server in recovered) Assert.That(_t.Lab.SiteB.OpenStack.ServerStatus(server!["server_id"]!.GetValue<string>()), Is.EqualTo("ACTIVE"));
        Assert.That((await PrimaryServersAsync()).Values, Is.All.EqualTo("SHUTOFF"), "the primary is fenced, as by any failover");
        Assert.That(await PlanStateAsync(), Is.EqualTo(planState), "nothing about the plan moved before the decision");
        Assert.That(live["commit"]!["decision"], Is.Null);
        var rto = live["rto_seconds"]!.GetValue<double>();

        Assert.That(_receiver.Calls.Select(c => c.Path), Is.EqualTo(new[] { "/before-boot" }), "the operator's webhook was called once, before the boot");
        Assert.That(WebhookSignature.Verify(Secret, _receiver.Calls[0].Timestamp, _receiver.Calls[0].Signature, _receiver.Calls[0].Body, _t.Lab.Clock.GetUtcNow(), TimeSpan.FromHours(1)), Is.True);

        // Waiting is not a way to run two recoveries or stop half-way: the decision is commit or rollback.
        var (cancel, cancelBody, _) = await _t.RunActionAsync(id, "cancel");
        Assert.That(cancel, Is.EqualTo(409), cancelBody?.ToJsonString());
        Assert.That(cancelBody!.ToJsonString(), Does.Contain("awaits commit or rollback"));
        var (second, secondBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind = "drill" } });
        Assert.That(second, Is.EqualTo(409), secondBody?.ToJsonString());
        var (member, _, _) = await _t.RunActionAsync(id, "rollback", TenantInTheLab.Member);
        Assert.That(member, Is.EqualTo(403), "a member may not decide the admin's failover");

        var (rollback, rollbackBody, _) = await _t.RunActionAsync(id, "rollback");
        Assert.That(rollback, Is.EqualTo(202), rollbackBody?.ToJsonString());
        var (twice, _, _) = await _t.RunActionAsync(id, "commit");
        Assert.That(twice, Is.EqualTo(409), "a decision is made once");

        var done = await _t.WaitForStateAsync(id, "rolled_back", "failed");
        Assert.That(done["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"), TenantInTheLab.Describe(done));
        var after = await RecoveryAudit.FullInventoryAsync(_t);
        Assert.That(RecoveryAudit.Difference(before, after), Is.Empty, "the recovery site and both arrays are as they were before the failover");
        Assert.That(await RecoveryAudit.OrphanCopiesAsync(_t), Is.Empty);
        Assert.That((await PrimaryServersAsync()).Values, Is.All.EqualTo("ACTIVE"), "the fenced primary runs again");
        Assert.That(await PlanStateAsync(), Is.EqualTo(planState));

        var report = await _t.ReportAsync(id);
        Assert.That(report["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"));
        Assert.That(report["rto_seconds"]!.GetValue<double>(), Is.EqualTo(rto), "the RTO ended with the last server up: neither the wait for a decision nor the rollback counts");
        Assert.That(report["duration_seconds"]!.GetValue<double>(), Is.GreaterThan(rto));
        Assert.That(report["commit"]!["decision"]!.GetValue<string>(), Is.EqualTo("rollback"));
        Assert.That(report["commit"]!["decided_by"]!.GetValue<string>(), Is.EqualTo("admin"));
        Assert.That(report["rollback"]!["removed"]!["servers"]!.AsArray().Count, Is.EqualTo(_t.Servers.Count));
        Assert.That(report["rollback"]!["removed"]!["volumes"]!.AsArray().Count, Is.EqualTo(_t.Volumes.Count));
        Assert.That(report["rollback"]!["primary"]!["restarted"]!.AsArray().Count, Is.EqualTo(_t.Servers.Count));
        var answer = await _t.Service.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{id}/report")
        {
            Headers = { { "X-Auth-Token", TenantInTheLab.Admin }, { "Accept", "text/markdown" } },
        });
        var markdown = await answer.Content.ReadAsStringAsync();
        Assert.That(markdown, Does.Contain("## Commit").And.Contain("rollback decided by admin"));

        // The on-call heard each turn once: awaiting commit, rolling back, rolled back.
        await Eventually.WaitForAsync(async () =>
        {
            var told = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/notifications?resource_id={id}", TenantInTheLab.Admin)).Body!["notifications"]!.AsArray()
                .Select(n => n!["event"]!.GetValue<string>()).ToList();
            return told.Contains("run.rolled_back") ? told : null;
        }, "the rolled_back notification", TimeSpan.FromSeconds(60));
        var events = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/notifications?resource_id={id}", TenantInTheLab.Admin)).Body!["notifications"]!.AsArray()
            .Select(n => n!["event"]!.GetValue<string>()).ToList();
        foreach (var e in new[] { "run.awaiting_commit", "run.rolling_back", "run.rolled_back" })
            Assert.That(events.Count(x => x == e), Is.EqualTo(1), $"{e} once: {string.Join(", ", events)}");
    }

    [Test, Order(3)]
    public async Task A_failover_nobody_decides_takes_its_auto_action_when_the_commit_timeout_passes()
    {
        var (cleared, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin, new { plan = new { hooks = Array.Empty<object>() } });
        Assert.That(cleared, Is.EqualTo(200), body?.ToJsonString());
        var before = await RecoveryAudit.FullInventoryAsync(_t);
        // Ten minutes on the lab's clock (30 s here): nobody answers.
        var id = await _t.StartRunAsync("failover", new { commit = "manual", commit_timeout = 600, auto_action = "rollback" });
        var waiting = await _t.WaitForStateAsync(id, "awaiting_commit", "failed", "succeeded");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_commit"), TenantInTheLab.Describe(waiting));
        var due = (await _t.ReportAsync(id))["commit"]!["auto_action_at"]!.GetValue<DateTimeOffset>();
        Assert.That(due, Is.GreaterThan(_t.Lab.Clock.GetUtcNow()), "the auto_action is still ahead");

        var done = await _t.WaitForStateAsync(id, "rolled_back", "failed", "succeeded");
        Assert.That(done["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"), TenantInTheLab.Describe(done));
        var report = await _t.ReportAsync(id);
        Assert.That(report["commit"]!["decided_by"]!.GetValue<string>(), Is.EqualTo("commit_timeout"));
        Assert.That(report["commit"]!["automatic"]!.GetValue<bool>(), Is.True);
        Assert.That(report["commit"]!["decided_at"]!.GetValue<DateTimeOffset>(), Is.GreaterThanOrEqualTo(due), "not before the timeout");
        Assert.That(RecoveryAudit.Difference(before, await RecoveryAudit.FullInventoryAsync(_t)), Is.Empty);
        Assert.That((await PrimaryServersAsync()).Values, Is.All.EqualTo("ACTIVE"));
    }

    [Test, Order(4)]
    public async Task A_rollback_while_the_primary_does_not_answer_removes_nothing_and_goes_on_when_resumed()
    {
        var before = await RecoveryAudit.FullInventoryAsync(_t);
        var id = await _t.StartRunAsync("failover", new { commit = "manual" });
        var waiting = await _t.WaitForStateAsync(id, "awaiting_commit", "failed", "succeeded");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_commit"), TenantInTheLab.Describe(waiting));
        var recovered = (await _t.ReportAsync(id))["recovered"]!["servers"]!.AsArray().Select(s => s!["server_id"]!.GetValue<string>()).ToList();

        var siteA = _t.Lab.SiteA.OpenStack;
        siteA.Faults.Down = true;
        try
        {
            var (rollback, body, _) = await _t.RunActionAsync(id, "rollback");
            Assert.That(rollback, Is.EqualTo(202), body?.ToJsonString());
            var failed = await _t.WaitForStateAsync(id, "failed", "rolled_back");
            Assert.That(failed["state"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(failed["error"]!.GetValue<string>(), Does.Contain("does not answer").And.Contain("nothing was removed"));
            Assert.That(recovered.Select(s => _t.Lab.SiteB.OpenStack.ServerStatus(s)), Is.All.EqualTo("ACTIVE"), "the tenant still runs at the recovery site");
        }
        finally
        {
            siteA.Faults.Down = false;
        }

        var (resumed, answer, _) = await _t.RunActionAsync(id, "resume");
        Assert.That(resumed, Is.EqualTo(202), answer?.ToJsonString());
        var done = await _t.WaitForStateAsync(id, "rolled_back", "failed");
        Assert.That(done["state"]!.GetValue<string>(), Is.EqualTo("rolled_back"), TenantInTheLab.Describe(done));
        Assert.That(RecoveryAudit.Difference(before, await RecoveryAudit.FullInventoryAsync(_t)), Is.Empty);
        Assert.That((await PrimaryServersAsync()).Values, Is.All.EqualTo("ACTIVE"));
    }

    [Test, Order(5)]
    public async Task A_committed_failover_succeeds_and_the_plan_runs_at_the_recovery_site()
    {
        await _t.ProtectAsync();
        var id = await _t.StartRunAsync("failover", new { commit = "manual" });
        var waiting = await _t.WaitForStateAsync(id, "awaiting_commit", "failed", "succeeded");
        Assert.That(waiting["state"]!.GetValue<string>(), Is.EqualTo("awaiting_commit"), TenantInTheLab.Describe(waiting));
        var (committed, body, _) = await _t.RunActionAsync(id, "commit");
        Assert.That(committed, Is.EqualTo(202), body?.ToJsonString());

        var done = await _t.WaitForStateAsync(id, "succeeded", "failed");
        Assert.That(done["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(done));
        Assert.That(await PlanStateAsync(), Is.EqualTo("failed_over"));
        Assert.That(await RecoveryAudit.RecoveryAsync(_t, id), Is.Empty, "each volume promoted and imported once, each server booted once");
        var report = await _t.ReportAsync(id);
        Assert.That(report["commit"]!["decision"]!.GetValue<string>(), Is.EqualTo("commit"));
        Assert.That(report["commit"]!["decided_by"]!.GetValue<string>(), Is.EqualTo("admin"));
        Assert.That(report["rollback"], Is.Null);
        var (late, _, _) = await _t.RunActionAsync(id, "rollback");
        Assert.That(late, Is.EqualTo(409), "a committed failover is final");
    }
}
