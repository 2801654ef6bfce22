using System.Text.Json.Nodes;
using Draas.Cli.Runs;
using Spectre.Console;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Cli;

/// <summary>
/// <c>draasctl run watch</c> against a scripted service whose run goes pending → running →
/// succeeded (or failed): the plain lines a script reads, the JSON it parses, the live view a
/// person watches, and the exit code either way.
/// </summary>
[TestFixture]
public sealed class RunWatchRenderingTests
{
    private const string RunId = "7d4f7c1e-5b1a-4c1e-9a57-2d0c2b6f0a11";
    private const string FailingRun = "0b9f3a52-8c11-4f0e-a1d6-5e2d9c7b4e22";
    private WireMockServer _api = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _api = WireMockServer.Start();
        Script(RunId, "succeeds", Frames(final: "succeeded"));
        Script(FailingRun, "fails", Frames(final: "failed"));
        _api.Given(Request.Create().WithPath($"/v1/runs/{RunId}/report").UsingGet())
            .RespondWith(Json(new JsonObject { ["report"] = new JsonObject { ["run_id"] = RunId, ["rto_seconds"] = 93, ["rpo_seconds"] = 240 } }));
        _api.Given(Request.Create().WithPath($"/v1/runs/{FailingRun}/report").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
                .WithBody("""{"itemNotFound": {"code": 404, "message": "No report yet."}}"""));
    }

    [OneTimeTearDown]
    public void Stop() => _api.Stop();

    /// <summary>Each GET of the run moves the scenario one frame on; the last frame stays.</summary>
    private void Script(string id, string scenario, IReadOnlyList<JsonObject> frames)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            var given = _api.Given(Request.Create().WithPath($"/v1/runs/{id}").UsingGet()).InScenario(scenario);
            if (i > 0) given = given.WhenStateIs($"frame-{i}");
            if (i < frames.Count - 1) given = given.WillSetStateTo($"frame-{i + 1}");
            given.RespondWith(Json(new JsonObject { ["run"] = frames[i] }));
        }
    }

    private static IResponseBuilder Json(JsonObject body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithHeader("X-Openstack-Request-Id", "req-" + Guid.NewGuid()).WithBody(body.ToJsonString());

    private static JsonObject Step(int sequence, int phase, string kind, string target, string state, double? seconds = null, string? error = null) => new()
    {
        ["id"] = $"step-{sequence}",
        ["sequence"] = sequence,
        ["phase"] = phase,
        ["kind"] = kind,
        ["target"] = target,
        // The service names what a step acts on; the volume's id is its target.
        ["name"] = target == "vol-web" ? "web-data" : null,
        ["state"] = state,
        ["attempts"] = state == "pending" ? 0 : 1,
        ["started_at"] = state == "pending" ? null : "2026-11-22T10:00:00Z",
        ["finished_at"] = seconds is null ? null : "2026-11-22T10:00:10Z",
        ["duration_seconds"] = seconds,
        ["error"] = error,
    };

    private static List<JsonObject> Frames(string final)
    {
        JsonObject Run(string state, int done, int failed, string? finished, params JsonObject[] steps) => new()
        {
            ["id"] = final == "succeeded" ? RunId : FailingRun,
            ["kind"] = "drill",
            ["state"] = state,
            ["plan_id"] = "c3f1d3a4-0000-4000-8000-000000000001",
            ["dry_run"] = false,
            ["created_at"] = "2026-11-22T09:59:58Z",
            ["started_at"] = "2026-11-22T10:00:00Z",
            ["finished_at"] = finished,
            ["error"] = state == "failed" ? "step 4 boot_server failed" : null,
            ["progress"] = new JsonObject { ["total"] = 4, ["done"] = done, ["failed"] = failed },
            ["steps"] = new JsonArray([.. steps]),
        };
        var lastBoot = final == "succeeded" ? Step(4, 2, "boot_server", "web", "succeeded", 30) : Step(4, 2, "boot_server", "web", "failed", 12, "no valid host");
        return
        [
            Run("pending", 0, 0, null, Step(1, 0, "preflight", "plan", "pending"), Step(2, 1, "promote_volume", "vol-web", "pending"), Step(3, 1, "import_volume", "vol-web", "pending"), Step(4, 2, "boot_server", "web", "pending")),
            Run("running", 1, 0, null, Step(1, 0, "preflight", "plan", "succeeded", 1.2), Step(2, 1, "promote_volume", "vol-web", "running"), Step(3, 1, "import_volume", "vol-web", "pending"), Step(4, 2, "boot_server", "web", "pending")),
            Run("running", 3, 0, null, Step(1, 0, "preflight", "plan", "succeeded", 1.2), Step(2, 1, "promote_volume", "vol-web", "succeeded", 4.5), Step(3, 1, "import_volume", "vol-web", "succeeded", 20), Step(4, 2, "boot_server", "web", "running")),
            Run(final, final == "succeeded" ? 4 : 3, final == "succeeded" ? 0 : 1, "2026-11-22T10:01:33Z", Step(1, 0, "preflight", "plan", "succeeded", 1.2), Step(2, 1, "promote_volume", "vol-web", "succeeded", 4.5), Step(3, 1, "import_volume", "vol-web", "succeeded", 20), lastBoot),
        ];
    }

    private Draasctl Shell() => new Draasctl().With("OS_TOKEN", "gAAAAAwatcher").With("DRAAS_ENDPOINT", _api.Urls[0]);

    [Test]
    public async Task Without_a_terminal_watch_prints_a_plain_line_per_change_and_exits_0_when_the_drill_succeeds()
    {
        _api.ResetScenario("succeeds");

        var result = await Shell().RunAsync("run", "watch", RunId);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.Length > 9 && l[2] == ':' ? l[9..] : l).ToArray();
        Assert.That(lines, Is.EqualTo(new[]
        {
            $"run {RunId} (drill): pending (0/4 steps done)",
            "step 1 (phase 0) preflight plan: succeeded in 1.2 s",
            "step 2 (phase 1) promote_volume web-data: running",
            $"run {RunId} (drill): running (1/4 steps done)",
            "step 2 (phase 1) promote_volume web-data: succeeded in 4.5 s",
            "step 3 (phase 1) import_volume web-data: succeeded in 20 s",
            "step 4 (phase 2) boot_server web: running",
            "step 4 (phase 2) boot_server web: succeeded in 30 s",
            $"run {RunId} (drill): succeeded (4/4 steps done)",
            $"Run {RunId} succeeded; RTO 1 min 33 s.",
        }));
        Assert.That(result.Err, Is.Empty);
    }

    [Test]
    public async Task A_run_awaiting_approval_ends_watch_with_exit_4_and_the_command_that_approves_it()
    {
        const string paused = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
        var frames = Frames(final: "succeeded");
        var waiting = frames[2].DeepClone().AsObject();
        waiting["id"] = paused;
        waiting["state"] = "awaiting_approval";
        _api.Given(Request.Create().WithPath($"/v1/runs/{paused}").UsingGet()).RespondWith(Json(new JsonObject { ["run"] = waiting }));

        var result = await Shell().RunAsync("run", "watch", paused);

        Assert.That(result.Exit, Is.EqualTo(4), "waiting for a person is neither success nor failure: " + result);
        Assert.That(result.Out.TrimEnd().Split('\n')[^1],
            Is.EqualTo($"Run {paused} awaits approval; 'draasctl run approve {paused}' lets it go on, 'draasctl run cancel {paused}' stops it."));
    }

    [Test]
    public async Task A_failover_awaiting_commit_ends_watch_with_exit_4_and_the_commands_that_decide_it()
    {
        const string deciding = "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c";
        var frames = Frames(final: "succeeded");
        var waiting = frames[2].DeepClone().AsObject();
        waiting["id"] = deciding;
        waiting["state"] = "awaiting_commit";
        _api.Given(Request.Create().WithPath($"/v1/runs/{deciding}").UsingGet()).RespondWith(Json(new JsonObject { ["run"] = waiting }));

        var result = await Shell().RunAsync("run", "watch", deciding);

        Assert.That(result.Exit, Is.EqualTo(4), "waiting for a decision is neither success nor failure: " + result);
        Assert.That(result.Out.TrimEnd().Split('\n')[^1],
            Is.EqualTo($"Run {deciding} awaits commit: the tenant runs at the recovery site. 'draasctl run commit {deciding}' keeps it, 'draasctl run rollback {deciding}' takes it back."));
    }

    [Test]
    public async Task A_failed_run_ends_watch_with_exit_3_and_the_reason()
    {
        _api.ResetScenario("fails");

        var result = await Shell().RunAsync("run", "watch", FailingRun);

        Assert.That(result.Exit, Is.EqualTo(3), "a run that failed is not a service that failed: " + result);
        Assert.That(result.Out, Does.Contain("step 4 (phase 2) boot_server web: failed in 12 s: no valid host"));
        Assert.That(result.Out.TrimEnd().Split('\n')[^1], Is.EqualTo($"Run {FailingRun} failed: step 4 boot_server failed; RTO 1 min 33 s."),
            "no report yet: the RTO is the run's start to finish");
    }

    [Test]
    public async Task A_service_that_stumbles_mid_watch_is_polled_again_and_the_watch_goes_on()
    {
        const string flaky = "3c2b1a09-8f7e-4d6c-b5a4-938271605f4e";
        var frames = Frames(final: "succeeded");
        foreach (var frame in frames) frame["id"] = flaky;
        var path = $"/v1/runs/{flaky}";
        _api.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WillSetStateTo("down")
            .RespondWith(Json(new JsonObject { ["run"] = frames[1] }));
        _api.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("down").WillSetStateTo("back")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Content-Type", "application/json").WithHeader("X-Openstack-Request-Id", "req-restarting")
                .WithBody("""{"serviceUnavailable": {"code": 503, "message": "The service is restarting."}}"""));
        _api.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("back")
            .RespondWith(Json(new JsonObject { ["run"] = frames[3] }));

        var result = await Shell().RunAsync("run", "watch", flaky);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Err, Is.EqualTo("draasctl: The service is restarting (503, request id req-restarting). Retrying (1/4).\n"));
        Assert.That(result.Out, Does.Contain($"Run {flaky} succeeded"));
    }

    [Test]
    public async Task A_run_the_service_does_not_know_ends_the_watch_at_once_with_exit_2()
    {
        var result = await Shell().RunAsync("run", "watch", Guid.NewGuid().ToString());

        Assert.That(result.Exit, Is.EqualTo(2), result.ToString());
        Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task With_json_output_stdout_holds_only_the_final_run_with_its_RTO_and_progress_goes_to_stderr()
    {
        _api.ResetScenario("succeeds");

        var result = await Shell().RunAsync("run", "watch", RunId, "-f", "json");

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Json["state"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(result.Json["rto_seconds"]!.GetValue<double>(), Is.EqualTo(93));
        Assert.That(result.Json["steps"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(result.Err, Does.Contain("boot_server web: succeeded"));
    }

    [Test]
    public async Task On_a_terminal_watch_draws_a_bar_per_phase_a_line_per_step_and_the_final_RTO()
    {
        _api.ResetScenario("succeeds");

        var shell = Shell();
        shell.Interactive = true;
        var result = await shell.RunAsync("run", "watch", RunId);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(result.Out, Does.Contain("Phase 1").And.Contain("Phase 2").And.Contain("RTO 1 min 33 s"));
        Assert.That(result.Out, Does.Contain("promote_volume").And.Contain("boot_server"));
    }

    [Test]
    public void The_live_view_of_a_running_drill_shows_each_phases_progress_and_each_steps_state_and_duration()
    {
        var running = Frames("succeeded")[2];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(new StringWriter()) });
        console.Profile.Width = 120;

        var text = console.ToAnsi(RunProgressView.Render(running, DateTimeOffset.Parse("2026-11-22T10:00:40Z", System.Globalization.CultureInfo.InvariantCulture)));
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToArray();

        Assert.That(lines[0], Is.EqualTo($"Run {RunId}  drill  running  3/4 steps"));
        Assert.That(lines.Single(l => l.StartsWith("Phase 0")), Does.Contain(new string('━', 30)).And.EndWith("1/1"));
        Assert.That(lines.Single(l => l.StartsWith("Phase 1")), Does.Contain(new string('━', 30)).And.EndWith("2/2"));
        Assert.That(lines.Single(l => l.StartsWith("Phase 2")), Does.Contain(new string('─', 30)).And.EndWith("0/1"));
        Assert.That(lines.Single(l => l.Contains("boot_server")), Does.Contain("running").And.Contain("40 s"), "a running step shows how long it has run");
        Assert.That(lines.Single(l => l.Contains("import_volume")), Does.Contain("succeeded").And.Contain("20 s"));
        Assert.That(text, Does.Not.Contain("RTO"), "no RTO before the run ends");
    }

    [Test]
    public void Durations_read_like_a_person_writes_them()
    {
        Assert.That(RunStates.Duration(2.14), Is.EqualTo("2.1 s"));
        Assert.That(RunStates.Duration(42), Is.EqualTo("42 s"));
        Assert.That(RunStates.Duration(250), Is.EqualTo("4 min 10 s"));
        Assert.That(RunStates.Duration(7500), Is.EqualTo("2 h 05 min"));
        Assert.That(RunStates.Duration(null), Is.EqualTo(""));
    }

    [Test]
    public async Task A_service_that_cannot_be_reached_ends_the_watch_with_exit_1_not_the_failed_runs_3()
    {
        var result = await new Draasctl().With("OS_TOKEN", "gAAAAAwatcher").With("DRAAS_ENDPOINT", "http://127.0.0.1:9/v1")
            .RunAsync("run", "watch", RunId, "--interval", "0.05");

        Assert.That(result.Exit, Is.EqualTo(1), result.ToString());
        Assert.That(result.Err, Does.Contain($"Retrying ({RunWatcher.MaxMissedPolls - 1}/{RunWatcher.MaxMissedPolls - 1})"), "it tried before giving up");
    }

    [Test]
    public void A_step_taken_back_from_a_stopped_worker_reads_interrupted_not_pending()
    {
        var step = Step(3, 1, "import_volume", "vol-web", "pending");
        step["attempts"] = 1;
        step["interrupted"] = true;
        step["error"] = "interrupted: the worker running attempt 1 stopped (its lease lapsed); retrying";

        Assert.That(RunStates.StepState(step), Is.EqualTo("interrupted"));
        Assert.That(RunStates.StepState(Step(3, 1, "import_volume", "vol-web", "pending")), Is.EqualTo("pending"));
    }

    [Test]
    public async Task A_run_id_that_is_not_a_uuid_is_refused_before_any_call()
    {
        var result = await Shell().RunAsync("run", "watch", "yesterday");

        Assert.That(result.Exit, Is.EqualTo(2));
        Assert.That(result.Err.Trim(), Is.EqualTo("draasctl: 'yesterday' is not a run id (a UUID; 'draasctl run list' shows them)."));
    }
}
