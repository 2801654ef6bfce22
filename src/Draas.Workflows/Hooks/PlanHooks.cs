using System.Text.Json.Nodes;

namespace Draas.Workflows.Hooks;

/// <summary>
/// A plan's hooks: operators' own automation (a webhook) or a person's decision (an approval) before or
/// after a phase, a priority group or one server of a recovery. Stored on the plan as JSON, the secret as
/// ciphertext (<c>secret_ciphertext</c>), never returned.
/// </summary>
public sealed record PlanHook(int Index, string When, string? Phase, int? PriorityGroup, string? Server, string Type,
    string? Url, int Timeout, string OnError, string? Message, bool HasSecret)
{
    /// <summary>Where the hook runs, in the words an operator wrote: "before phase boot", "after priority_group 1".</summary>
    public string Where => Phase is not null ? $"{When} phase {Phase}" : PriorityGroup is { } g ? $"{When} priority_group {g}" : $"{When} server {Server}";
}

public static class PlanHooks
{
    public const string Webhook = "webhook";
    public const string Approval = "approval";

    /// <summary>The phases a hook may name, in the order a recovery goes through them.</summary>
    public static readonly string[] Phases = ["preflight", "storage", "boot", "health_check"];

    public const int MaxHooks = 50;

    public static IReadOnlyList<PlanHook> Parse(string? json)
    {
        if (json is null) return [];
        var hooks = new List<PlanHook>();
        var i = 0;
        foreach (var node in JsonNode.Parse(json)!.AsArray())
        {
            var o = node!.AsObject();
            hooks.Add(new PlanHook(i++, Str(o, "when") ?? "before", Str(o, "phase"), o["priority_group"] is JsonValue g && g.TryGetValue<int>(out var n) ? n : null,
                Str(o, "server"), Str(o, "type") ?? Webhook, Str(o, "url"), o["timeout"] is JsonValue t && t.TryGetValue<int>(out var s) ? s : 300,
                Str(o, "on_error") ?? "fail", Str(o, "message"), o["secret_ciphertext"] is not null));
        }
        return hooks;
    }

    /// <summary>Every problem with the hooks a caller sent, in plain words (the URL itself is checked by the API's one URL rule).</summary>
    public static IReadOnlyList<string> Validate(JsonArray hooks)
    {
        var problems = new List<string>();
        if (hooks.Count > MaxHooks) problems.Add($"plan.hooks holds at most {MaxHooks} hooks");
        string[] known = ["when", "phase", "priority_group", "server", "type", "url", "timeout", "on_error", "secret", "message"];
        for (var i = 0; i < hooks.Count; i++)
        {
            var at = $"plan.hooks[{i}]";
            if (hooks[i] is not JsonObject o)
            {
                problems.Add($"{at} must be an object");
                continue;
            }
            problems.AddRange(o.Where(p => !known.Contains(p.Key)).Select(p => $"{at}.{p.Key} is not a hook field (known: {string.Join(", ", known)})"));
            if (Str(o, "when") is not ("before" or "after")) problems.Add($"{at}.when must be 'before' or 'after'");
            var places = new[] { "phase", "priority_group", "server" }.Count(k => o[k] is not null);
            if (places != 1) problems.Add($"{at} names exactly one of phase, priority_group or server");
            if (o["phase"] is not null && !Phases.Contains(Str(o, "phase"))) problems.Add($"{at}.phase must be one of {string.Join(", ", Phases)}");
            if (o["priority_group"] is not null && (o["priority_group"] is not JsonValue g || !g.TryGetValue<int>(out var n) || n is < 0 or > 1000))
                problems.Add($"{at}.priority_group must be an integer from 0 to 1000");
            if (o["server"] is not null && (Str(o, "server") is not { Length: > 0 and <= 255 }))
                problems.Add($"{at}.server must name a server (name or id)");
            switch (Str(o, "type"))
            {
                case Webhook:
                    if (o["url"] is null) problems.Add($"{at}.url is required for a webhook");
                    if (o["timeout"] is not null && (o["timeout"] is not JsonValue t || !t.TryGetValue<int>(out var s) || s is < 1 or > 3600))
                        problems.Add($"{at}.timeout must be an integer from 1 to 3600 seconds");
                    if (o["on_error"] is not null && Str(o, "on_error") is not ("fail" or "continue")) problems.Add($"{at}.on_error must be 'fail' or 'continue'");
                    if (o["secret"] is not null && Str(o, "secret") is not { Length: >= 16 and <= 255 })
                        problems.Add($"{at}.secret must be a string of 16 to 255 characters");
                    if (o["message"] is not null) problems.Add($"{at}.message belongs to an approval");
                    break;
                case Approval:
                    if (Str(o, "message") is not { Length: > 0 and <= 1000 }) problems.Add($"{at}.message is required for an approval (at most 1000 characters)");
                    foreach (var k in new[] { "url", "timeout", "on_error", "secret" })
                        if (o[k] is not null) problems.Add($"{at}.{k} belongs to a webhook");
                    break;
                default:
                    problems.Add($"{at}.type must be 'webhook' or 'approval'");
                    break;
            }
        }
        return problems;
    }

    /// <summary>The hooks as the API shows them: everything but the secret, which is only said to be set.</summary>
    public static JsonArray View(string? json)
    {
        var view = new JsonArray();
        if (json is null) return view;
        foreach (var node in JsonNode.Parse(json)!.AsArray())
        {
            var o = node!.AsObject().DeepClone().AsObject();
            var secret = o.Remove("secret_ciphertext");
            if (Str(o, "type") == Webhook) o["has_secret"] = secret;
            view.Add(o);
        }
        return view;
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
