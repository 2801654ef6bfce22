using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Api.Http;

namespace Draas.Api.V1;

/// <summary>
/// A plan's data canary, checked when it is stored: <c>{"server": "web", "port": 80, "path": "/canary"}</c>, the
/// workload's HTTP endpoint where a POSTed token is written with the workload's data and a GET reads the
/// tokens back as a JSON array (docs/data-canary.md). Port and path default to 80 and /canary.
/// </summary>
internal static class CanaryRules
{
    private static readonly HashSet<string> Keys = ["server", "port", "path"];

    public static void Check(Validator v, string field, JsonObject canary)
    {
        foreach (var (key, _) in canary) v.Require(Keys.Contains(key), $"{field}.{key} is not a canary field ({string.Join(", ", Keys)})");
        v.Require(canary["server"] is JsonValue w && w.GetValueKind() == JsonValueKind.String && w.GetValue<string>() is { Length: > 0 and <= 255 },
            $"{field}.server is required: the name or id of one of the plan's servers");
        v.Require(canary["port"] is null || (canary["port"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number && p.TryGetValue<int>(out var port) && port is >= 1 and <= 65535),
            $"{field}.port must be 1..65535");
        v.Require(canary["path"] is null || (canary["path"] is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() is { Length: <= 200 } path && path.StartsWith('/') && !path.Any(char.IsControl)),
            $"{field}.path must start with / (at most 200 characters, no control characters)");
    }
}
