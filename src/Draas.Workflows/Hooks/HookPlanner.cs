using System.Text.Json.Nodes;
using Draas.Workflows.Runs;

namespace Draas.Workflows.Hooks;

/// <summary>
/// Weaves a plan's hooks into the steps the planner made, as steps of their own (<c>webhook</c>,
/// <c>approval</c>) with edges: a hook <em>before</em> a set of steps waits for what they waited for and
/// they wait for it; a hook <em>after</em> a set waits for all of them, and every step of a later phase
/// waits for it. Pure, like the planner: a dry run shows the hooks where the real run calls them.
/// </summary>
public static class HookPlanner
{
    public const string WebhookStep = "webhook";
    public const string ApprovalStep = "approval";

    private sealed class Node(int key, StepSpec spec)
    {
        public int Key { get; } = key;
        public StepSpec Spec { get; } = spec;
        public HashSet<int> After { get; } = [.. spec.DependsOn];
    }

    public static IReadOnlyList<StepSpec> Apply(IReadOnlyList<StepSpec> steps, IReadOnlyList<PlanHook> hooks)
    {
        if (hooks.Count == 0) return steps;
        var nodes = steps.Select(s => new Node(s.Sequence, s)).ToList();
        var hookKeys = new List<int>();
        var nextKey = -1;
        foreach (var hook in hooks)
        {
            var targets = nodes.Where(n => n.Key > 0 && Matches(hook, n.Spec)).ToList();
            if (targets.Count == 0) continue;
            var keys = targets.Select(t => t.Key).ToHashSet();
            var input = Input(hook);
            var kind = hook.Type == PlanHooks.Approval ? ApprovalStep : WebhookStep;
            Node node;
            if (hook.When == "before")
            {
                var phase = targets.Min(t => t.Spec.Phase);
                node = new Node(nextKey--, new StepSpec(0, phase, kind, hook.Where, input, [], MaxAttempts: 3));
                node.After.UnionWith(targets.SelectMany(t => t.After).Where(k => !keys.Contains(k)));
                foreach (var t in targets) t.After.Add(node.Key);
                nodes.Insert(nodes.IndexOf(targets[0]), node);
            }
            else
            {
                var phase = targets.Max(t => t.Spec.Phase);
                node = new Node(nextKey--, new StepSpec(0, phase, kind, hook.Where, input, [], MaxAttempts: 3));
                node.After.UnionWith(keys);
                foreach (var later in nodes.Where(n => n.Spec.Phase > phase || n.Spec.Always)) later.After.Add(node.Key);
                nodes.Insert(nodes.IndexOf(targets[^1]) + 1, node);
            }
            hookKeys.Add(node.Key);
        }
        // A step that always runs (a drill's cleanup) ends the run after every hook too.
        foreach (var always in nodes.Where(n => n.Spec.Always)) always.After.UnionWith(hookKeys);
        var sequence = nodes.Select((n, i) => (n.Key, Seq: i + 1)).ToDictionary(x => x.Key, x => x.Seq);
        return [.. nodes.Select(n => n.Spec with { Sequence = sequence[n.Key], DependsOn = [.. n.After.Select(k => sequence[k]).Distinct().Order()] })];
    }

    private static bool Matches(PlanHook hook, StepSpec step)
    {
        if (hook.Phase is { } phase)
        {
            return phase switch
            {
                "preflight" => step.Kind == RunPlanner.Preflight,
                "storage" => step.Kind is RunPlanner.StopServer or RunPlanner.ReplicateNow or RunPlanner.DemoteSource or RunPlanner.PromoteVolume
                    or RunPlanner.ImportVolume or RunPlanner.FencePrimary,
                "boot" => step.Kind == RunPlanner.BootServer,
                "health_check" => step.Kind == RunPlanner.HealthCheck,
                _ => false,
            };
        }
        if (step.Kind != RunPlanner.BootServer) return false;
        if (hook.PriorityGroup is { } group) return step.Input["priority_group"]?.GetValue<int>() == group;
        return step.Target == hook.Server || step.Input["name"]?.GetValue<string>() == hook.Server;
    }

    private static JsonObject Input(PlanHook hook) => hook.Type == PlanHooks.Approval
        ? new JsonObject { ["hook"] = hook.Index, ["at"] = hook.Where, ["message"] = hook.Message }
        : RunJson.Input(new WebhookInput(hook.Index, hook.Where, hook.Url!, hook.Timeout, hook.OnError, hook.HasSecret));
}
