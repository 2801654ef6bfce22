using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Cli;

/// <summary>
/// What the run commands send and how they show the answer, pinned against a WireMock stand-in of
/// the Runs API contract (<c>/v1/runs</c>, report, runbook) while the real one lands.
/// </summary>
[TestFixture]
public sealed class RunCommandsContractTests
{
    private const string PlanId = "5a0c8a7e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    private const string RunId = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";
    private WireMockServer _api = null!;

    [SetUp]
    public void Start()
    {
        _api = WireMockServer.Start();
        _api.Given(Request.Create().WithPath("/v1/plans").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["plans"] = new JsonArray(new JsonObject { ["id"] = PlanId, ["name"] = "shop" }), ["plans_links"] = new JsonArray() }));
    }

    [TearDown]
    public void Stop() => _api.Stop();

    private static IResponseBuilder Json(int status, JsonNode body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithHeader("X-Openstack-Request-Id", "req-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b").WithBody(body.ToJsonString());

    private Draasctl Shell() => new Draasctl().With("OS_TOKEN", "gAAAAAcontract").With("DRAAS_ENDPOINT", _api.Urls[0]);

    private static JsonObject Run(string state) => new()
    {
        ["id"] = RunId,
        ["kind"] = "planned_migration",
        ["state"] = state,
        ["plan_id"] = PlanId,
        ["protection_id"] = null,
        ["dry_run"] = false,
        ["created_at"] = "2026-11-22T10:00:00Z",
        ["started_at"] = null,
        ["finished_at"] = null,
        ["progress"] = new JsonObject { ["total"] = 2, ["done"] = 0, ["failed"] = 0 },
        ["steps"] = new JsonArray(
            new JsonObject { ["id"] = "s1", ["sequence"] = 1, ["phase"] = 0, ["kind"] = "preflight", ["target"] = "plan", ["state"] = "pending", ["attempts"] = 0 },
            new JsonObject { ["id"] = "s2", ["sequence"] = 2, ["phase"] = 1, ["kind"] = "promote_volume", ["target"] = "vol-1", ["state"] = "pending", ["attempts"] = 0 }),
    };

    private JsonNode SentBody(string path) =>
        JsonNode.Parse(_api.LogEntries.Last(e => e.RequestMessage.Path == path && e.RequestMessage.Method == "POST").RequestMessage.Body!)!;

    [Test]
    public async Task Run_create_names_the_plan_by_id_and_sends_kind_recovery_point_and_options()
    {
        _api.Given(Request.Create().WithPath("/v1/runs").UsingPost())
            .RespondWith(Json(202, new JsonObject { ["run"] = Run("pending") }).WithHeader("Location", $"/v1/runs/{RunId}"));

        var result = await Shell().RunAsync("run", "create", "--plan", "shop", "--kind", "planned-migration",
            "--option", "shutdown_primary=true", "--option", "note=quarterly", "--options", """{"max_parallel": 2}""");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Out.Trim(), Is.EqualTo($"Run {RunId} (planned_migration) accepted; 'draasctl run watch {RunId}' follows it."));
        var sent = SentBody("/v1/runs")["run"]!;
        Assert.That(sent["plan_id"]!.GetValue<string>(), Is.EqualTo(PlanId));
        Assert.That(sent["kind"]!.GetValue<string>(), Is.EqualTo("planned_migration"));
        Assert.That(sent["recovery_point"]!.GetValue<string>(), Is.EqualTo("latest"));
        Assert.That(sent["dry_run"]!.GetValue<bool>(), Is.False);
        Assert.That(sent["options"]!.ToJsonString(), Is.EqualTo("""{"max_parallel":2,"shutdown_primary":true,"note":"quarterly"}"""));
    }

    [Test]
    public async Task A_dry_run_shows_the_steps_it_would_take()
    {
        var dry = Run("pending");
        dry["dry_run"] = true;
        _api.Given(Request.Create().WithPath("/v1/runs").UsingPost()).RespondWith(Json(200, new JsonObject { ["run"] = dry }));

        var table = await Shell().OkAsync("run", "create", "--plan", PlanId, "--kind", "drill", "--dry-run");
        var json = await Shell().JsonAsync("run", "create", "--plan", PlanId, "--kind", "drill", "--dry-run");

        Assert.That(table.Out, Does.StartWith("Dry run of a planned_migration: 2 steps; nothing was started."));
        Assert.That(table.Out, Does.Contain("| preflight ").And.Contain("| promote_volume ").And.Contain("| vol-1 "));
        Assert.That(json["steps"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(SentBody("/v1/runs")["run"]!["dry_run"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Run_list_passes_its_filters_and_shows_progress()
    {
        _api.Given(Request.Create().WithPath("/v1/runs").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["runs"] = new JsonArray(Run("running")), ["runs_links"] = new JsonArray() }));

        var table = await Shell().OkAsync("run", "list", "--plan", "shop", "--kind", "planned_migration", "--state", "running", "--limit", "5");

        var query = _api.LogEntries.Last(e => e.RequestMessage.Path == "/v1/runs").RequestMessage.Query!;
        Assert.That(query["plan_id"].Single(), Is.EqualTo(PlanId));
        Assert.That(query["kind"].Single(), Is.EqualTo("planned_migration"));
        Assert.That(query["state"].Single(), Is.EqualTo("running"));
        Assert.That(query["limit"].Single(), Is.EqualTo("5"));
        Assert.That(table.Out, Does.Contain($"| {RunId} ").And.Contain("| running 0/2 ").And.Contain("| shop "), "the plan by its name");
        Assert.That(table.Out, Does.Not.Contain(PlanId), "the plan's id only with --long");
        Assert.That(table.Out.Split('\n').Max(l => l.Length), Is.LessThanOrEqualTo(120));
        var wide = await Shell().OkAsync("run", "list", "--long");
        Assert.That(wide.Out, Does.Contain(PlanId));
    }

    [Test]
    public async Task Run_list_follows_the_services_next_links_to_the_last_page_and_stops_where_a_link_repeats()
    {
        JsonObject Page(string id, string? next) => new()
        {
            ["runs"] = new JsonArray(new JsonObject { ["id"] = id, ["kind"] = "drill", ["state"] = "succeeded", ["plan_id"] = PlanId, ["created_at"] = "2026-11-22T10:00:00Z" }),
            // The service writes absolute links with its own host; draasctl keeps the endpoint it was given.
            ["runs_links"] = next is null ? new JsonArray() : new JsonArray(new JsonObject { ["rel"] = "next", ["href"] = $"http://internal.example:8799/v1/runs?marker={next}" }),
        };
        _api.Given(Request.Create().WithPath("/v1/runs").WithParam("marker", "r1").UsingGet()).RespondWith(Json(200, Page("r2", "r2")));
        _api.Given(Request.Create().WithPath("/v1/runs").WithParam("marker", "r2").UsingGet()).RespondWith(Json(200, Page("r3", "r2")));
        _api.Given(Request.Create().WithPath("/v1/runs").UsingGet()).AtPriority(10).RespondWith(Json(200, Page("r1", "r1")));

        var listed = await Shell().JsonAsync("run", "list");

        Assert.That(listed.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "r1", "r2", "r3" }));
        Assert.That(_api.LogEntries.Count(e => e.RequestMessage.Path == "/v1/runs"), Is.EqualTo(3), "a repeated next link ends the listing");
    }

    [Test]
    public async Task Run_show_lists_the_fields_then_a_line_per_step()
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}").UsingGet()).RespondWith(Json(200, new JsonObject { ["run"] = Run("running") }));

        var table = await Shell().OkAsync("run", "show", RunId);
        var yaml = await Shell().OkAsync("run", "show", RunId, "-f", "yaml");

        Assert.That(table.Out, Does.Contain("| State ").And.Contain("| running "));
        Assert.That(table.Out, Does.Contain("| Plan ").And.Contain("| shop "), "the plan by its name");
        Assert.That(table.Out, Does.Contain("| Progress ").And.Contain("| 0 of 2 steps done, 0 running, 0 failed "), "progress as a sentence, not JSON");
        Assert.That(table.Out, Does.Not.Contain("{").And.Not.Contain("2026-11-22T10:00:00Z"), "no raw JSON, no ISO times");
        Assert.That(table.Out, Does.Contain("| Step ").And.Contain("| promote_volume "));
        Assert.That(yaml.Out, Does.Contain("kind: planned_migration").And.Contain("- id: s1"));
    }

    [Test]
    public async Task Run_cancel_posts_the_cancel_action()
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/action").UsingPost()).RespondWith(Json(202, new JsonObject { ["run"] = Run("cancelling") }));

        var result = await Shell().OkAsync("run", "cancel", RunId);

        Assert.That(SentBody($"/v1/runs/{RunId}/action").ToJsonString(), Is.EqualTo("""{"cancel":{}}"""));
        Assert.That(result.Out.Trim(), Is.EqualTo($"Cancel of run {RunId} requested; 'draasctl run watch {RunId}' shows it stop."));
    }

    [Test]
    public async Task Run_resume_posts_the_resume_action()
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/action").UsingPost()).RespondWith(Json(202, new JsonObject { ["run"] = Run("running") }));

        var result = await Shell().OkAsync("run", "resume", RunId);

        Assert.That(SentBody($"/v1/runs/{RunId}/action").ToJsonString(), Is.EqualTo("""{"resume":{}}"""));
        Assert.That(result.Out.Trim(), Is.EqualTo($"Run {RunId} resumed; 'draasctl run watch {RunId}' follows it."));
    }

    [Test]
    public async Task Run_approve_posts_the_approve_action()
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/action").UsingPost()).RespondWith(Json(202, new JsonObject { ["run"] = Run("running") }));

        var result = await Shell().OkAsync("run", "approve", RunId);

        Assert.That(SentBody($"/v1/runs/{RunId}/action").ToJsonString(), Is.EqualTo("""{"approve":{}}"""));
        Assert.That(result.Out.Trim(), Is.EqualTo($"Run {RunId} approved; 'draasctl run watch {RunId}' follows it."));
    }

    [TestCase("commit", "committed")]
    [TestCase("rollback", "is rolling back")]
    public async Task Run_commit_and_rollback_post_their_action(string action, string said)
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/action").UsingPost()).RespondWith(Json(202, new JsonObject { ["run"] = Run("running") }));

        var result = await Shell().OkAsync("run", action, RunId);

        Assert.That(SentBody($"/v1/runs/{RunId}/action").ToJsonString(), Is.EqualTo("{\"" + action + "\":{}}"));
        Assert.That(result.Out.Trim(), Is.EqualTo($"Run {RunId} {said}; 'draasctl run watch {RunId}' follows it."));
    }

    [Test]
    public async Task Run_report_shows_RTO_and_RPO_or_saves_the_Markdown_asked_for_with_its_media_type()
    {
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/report").UsingGet().WithHeader("Accept", "text/markdown"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/markdown").WithBody("# Drill report\n\nRTO 93 s\n"));
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/report").UsingGet())
            .AtPriority(2)
            .RespondWith(Json(200, new JsonObject
            {
                ["report"] = new JsonObject
                {
                    ["run_id"] = RunId,
                    ["rto_seconds"] = 93,
                    ["rpo_seconds"] = 240,
                    ["steps"] = new JsonArray(new JsonObject { ["kind"] = "boot_server", ["target"] = "web", ["duration_seconds"] = 30 }),
                },
            }));
        var file = Path.Combine(Path.GetTempPath(), $"draasctl-report-{Guid.NewGuid():N}", "run.md");

        var table = await Shell().OkAsync("run", "report", RunId);
        var markdown = await Shell().OkAsync("run", "report", RunId, "--markdown");
        var saved = await Shell().OkAsync("run", "report", RunId, "-o", file);

        Assert.That(table.Out, Does.Contain("| RTO ").And.Contain("| 1 min 33 s ").And.Contain("| RPO ").And.Contain("| 4 min ").And.Contain("| boot_server "));
        Assert.That(markdown.Out, Is.EqualTo("# Drill report\n\nRTO 93 s\n"));
        Assert.That(saved.Out.Trim(), Is.EqualTo($"Report of run {RunId} written to {file}."));
        Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("# Drill report\n\nRTO 93 s\n"));
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Test]
    public async Task The_runbook_is_fetched_as_Markdown_for_a_protection_named_by_name()
    {
        const string protection = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
        _api.Given(Request.Create().WithPath("/v1/protections").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["protections"] = new JsonArray(new JsonObject { ["id"] = protection, ["name"] = "demo" }) }));
        _api.Given(Request.Create().WithPath($"/v1/protections/{protection}/runbook").UsingGet().WithHeader("Accept", "text/markdown"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/markdown").WithBody("# Runbook: demo\n"));

        var result = await Shell().OkAsync("runbook", "demo");

        Assert.That(result.Out, Is.EqualTo("# Runbook: demo\n"));
    }

    [Test]
    public async Task A_refused_run_is_one_sentence_with_the_services_message_and_request_id()
    {
        _api.Given(Request.Create().WithPath("/v1/runs").UsingPost())
            .RespondWith(Json(409, new JsonObject { ["conflict"] = new JsonObject { ["code"] = 409, ["message"] = "Plan shop already has a run in progress." } }));

        var result = await Shell().RunAsync("run", "create", "--plan", "shop", "--kind", "failover");

        Assert.That(result.Exit, Is.EqualTo(1));
        Assert.That(result.Err, Is.EqualTo("draasctl: Plan shop already has a run in progress (409, request id req-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b).\n"));
    }
}
