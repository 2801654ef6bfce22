using System.Text.Json.Nodes;
using Draas.Api.Http;
using Draas.Data.Secrets;
using Draas.Domain.Protection;
using Draas.Workflows.Hooks;

namespace Draas.Api.V1;

/// <summary>
/// A plan's <c>hooks</c> as sent: checked, each webhook's secret encrypted like site and array credentials
/// and never shown again. A webhook sent again without its secret keeps the one stored for the same URL at
/// the same place in the list, so a caller can edit hooks without knowing the secrets.
/// </summary>
public static class PlanHookFields
{
    public static void Apply(Validator v, JsonArray hooks, Plan plan, SecretProtector secrets)
    {
        var problems = PlanHooks.Validate(hooks);
        foreach (var problem in problems) v.Require(false, problem);
        for (var i = 0; i < hooks.Count; i++)
            if (hooks[i] is JsonObject { } o && o["url"] is JsonValue url && url.TryGetValue<string>(out var text)) v.Url($"plan.hooks[{i}].url", text, required: true);
        if (problems.Count > 0) return;
        var before = plan.Hooks is null ? [] : JsonNode.Parse(plan.Hooks)!.AsArray();
        var stored = new JsonArray();
        for (var i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i]!.AsObject().DeepClone().AsObject();
            if (hook.TryGetPropertyValue("secret", out var secret) && secret is not null)
            {
                hook.Remove("secret");
                hook["secret_ciphertext"] = secrets.Protect(secret.GetValue<string>());
            }
            else if (hook["type"]?.GetValue<string>() == PlanHooks.Webhook && before.ElementAtOrDefault(i) is JsonObject old
                     && old["url"]?.GetValue<string>() == hook["url"]?.GetValue<string>() && old["secret_ciphertext"] is { } kept)
                hook["secret_ciphertext"] = kept.DeepClone();
            stored.Add(hook);
        }
        plan.Hooks = stored.Count == 0 ? null : stored.ToJsonString();
    }
}
