using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Api.Http;
using Draas.Domain.Protection;

namespace Draas.Api.V1;

/// <summary>
/// A plan's health check (<see cref="HealthCheck"/>), checked when it is stored: a check the planner cannot use
/// would otherwise be dropped silently and a tenant would believe a recovery proves what it does not.
/// </summary>
internal static class HealthCheckRules
{
    private static IReadOnlySet<string> Keys => HealthCheck.Fields;

    public static void Check(Validator v, string field, JsonNode? node)
    {
        if (node is not JsonObject check)
        {
            v.Require(false, $"{field} must be an object");
            return;
        }
        foreach (var (key, _) in check) v.Require(Keys.Contains(key), $"{field}.{key} is not a health check field ({string.Join(", ", Keys)})");
        var who = check["server_id"] ?? check["server"];
        v.Require(check["server_id"] is null || check["server"] is null, $"{field} names its server once: server (a name or id) or server_id");
        v.Require(who is JsonValue w && w.GetValueKind() == JsonValueKind.String && w.GetValue<string>() is { Length: > 0 and <= 255 },
            $"{field}.server is required: the name or id of one of the plan's servers");
        var type = String(check["type"]) ?? HealthCheck.Tcp;
        v.Require(type is HealthCheck.Tcp or HealthCheck.Http, $"{field}.type must be tcp or http");
        v.Require(check["port"] is null || Int(check["port"]) is >= 1 and <= 65535, $"{field}.port must be 1..65535");
        v.Require(check["expect_status"] is null || (type == HealthCheck.Http && Int(check["expect_status"]) is >= 100 and <= 599),
            $"{field}.expect_status must be 100..599, for an http check");
        v.Require(check["path"] is null || (type == HealthCheck.Http && String(check["path"]) is { Length: <= 1024 } path && path.StartsWith('/') && !path.Any(char.IsControl)),
            $"{field}.path must start with / (at most 1024 characters, no control characters), for an http check");
    }

    private static string? String(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;
}
