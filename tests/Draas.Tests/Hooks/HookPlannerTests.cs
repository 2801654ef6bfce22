using System.Text.Json.Nodes;
using Draas.Workflows.Hooks;
using Draas.Workflows.Runs;

namespace Draas.Tests.Hooks;

/// <summary>
/// Where the planner puts a plan's hooks, on a small run graph: preflight, a promote and an import, two
/// servers of priority group 1 and one of group 2, a health check, and a drill's cleanup that always runs.
/// </summary>
[TestFixture]
public sealed class HookPlannerTests
{
    private static readonly IReadOnlyList<StepSpec> Graph =
    [
        new(1, 0, RunPlanner.Preflight, null, [], []),
        new(2, 2, RunPlanner.PromoteVolume, "v1", [], [1]),
        new(3, 3, RunPlanner.ImportVolume, "v1", [], [2]),
        new(4, 4, RunPlanner.BootServer, "s-web", new JsonObject { ["name"] = "web", ["priority_group"] = 1 }, [3]),
        new(5, 4, RunPlanner.BootServer, "s-app", new JsonObject { ["name"] = "app", ["priority_group"] = 1 }, [1]),
        new(6, 5, RunPlanner.BootServer, "s-db", new JsonObject { ["name"] = "db", ["priority_group"] = 2 }, [4, 5]),
        new(7, 6, RunPlanner.HealthCheck, "s-web", [], [4]),
        new(8, 7, RunPlanner.Cleanup, null, [], [1, 2, 3, 4, 5, 6, 7], Always: true),
    ];

    private static IReadOnlyList<PlanHook> Hooks(params object[] hooks) => PlanHooks.Parse(System.Text.Json.JsonSerializer.Serialize(hooks));

    private static StepSpec Named(IReadOnlyList<StepSpec> steps, string kind, string? target) => steps.Single(s => s.Kind == kind && s.Target == target);

    [Test]
    public void A_before_boot_webhook_waits_for_what_the_boots_waited_for_and_every_boot_waits_for_it()
    {
        var steps = HookPlanner.Apply(Graph, Hooks(new { when = "before", phase = "boot", type = "webhook", url = "http://127.0.0.1:1/x" }));

        var hook = Named(steps, "webhook", "before phase boot");
        Assert.That(steps.Select(s => s.Sequence), Is.EqualTo(Enumerable.Range(1, 9)), "renumbered without gaps");
        Assert.That(hook.Sequence, Is.LessThan(Named(steps, RunPlanner.BootServer, "s-web").Sequence), "listed before the boots");
        Assert.That(hook.DependsOn, Is.EquivalentTo(new[] { Named(steps, RunPlanner.Preflight, null).Sequence, Named(steps, RunPlanner.ImportVolume, "v1").Sequence }));
        foreach (var boot in steps.Where(s => s.Kind == RunPlanner.BootServer)) Assert.That(boot.DependsOn, Does.Contain(hook.Sequence), boot.Target);
        Assert.That(Named(steps, RunPlanner.Cleanup, null).DependsOn, Does.Contain(hook.Sequence), "a drill cleans up after its hooks too");
        Assert.That(hook.Input["url"]!.GetValue<string>(), Is.EqualTo("http://127.0.0.1:1/x"));
    }

    [Test]
    public void An_approval_after_priority_group_1_holds_group_2_and_the_health_checks_but_not_group_1()
    {
        var steps = HookPlanner.Apply(Graph, Hooks(new { when = "after", priority_group = 1, type = "approval", message = "go?" }));

        var approval = Named(steps, "approval", "after priority_group 1");
        Assert.That(approval.DependsOn, Is.EquivalentTo(new[] { Named(steps, RunPlanner.BootServer, "s-web").Sequence, Named(steps, RunPlanner.BootServer, "s-app").Sequence }));
        Assert.That(Named(steps, RunPlanner.BootServer, "s-db").DependsOn, Does.Contain(approval.Sequence));
        Assert.That(Named(steps, RunPlanner.HealthCheck, "s-web").DependsOn, Does.Contain(approval.Sequence));
        Assert.That(Named(steps, RunPlanner.BootServer, "s-web").DependsOn, Does.Not.Contain(approval.Sequence));
    }

    [Test]
    public void A_hook_on_a_server_the_run_does_not_have_is_left_out()
    {
        var steps = HookPlanner.Apply(Graph, Hooks(new { when = "after", server = "mail", type = "approval", message = "go?" }));
        static string[] Shape(IReadOnlyList<StepSpec> list) => [.. list.Select(s => $"{s.Sequence} {s.Kind} {s.Target} after {string.Join(",", s.DependsOn)}")];
        Assert.That(Shape(steps), Is.EqualTo(Shape(Graph)));
    }

    [Test]
    public void Malformed_hooks_are_each_refused_with_their_place_and_why()
    {
        var problems = PlanHooks.Validate(JsonNode.Parse("""
            [{"when": "during", "phase": "boot", "priority_group": 1, "type": "webhook", "timeout": 0, "on_error": "ignore", "secret": "short"},
             {"when": "after", "server": "db", "type": "approval"},
             {"when": "before", "phase": "lunch", "type": "script", "colour": "red"}]
            """)!.AsArray());

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "plan.hooks[0].when must be 'before' or 'after'",
            "plan.hooks[0] names exactly one of phase, priority_group or server",
            "plan.hooks[0].url is required for a webhook",
            "plan.hooks[0].timeout must be an integer from 1 to 3600 seconds",
            "plan.hooks[0].on_error must be 'fail' or 'continue'",
            "plan.hooks[0].secret must be a string of 16 to 255 characters",
            "plan.hooks[1].message is required for an approval (at most 1000 characters)",
            "plan.hooks[2].colour is not a hook field (known: when, phase, priority_group, server, type, url, timeout, on_error, secret, message)",
            "plan.hooks[2].phase must be one of preflight, storage, boot, health_check",
            "plan.hooks[2].type must be 'webhook' or 'approval'",
        }));
    }
}
