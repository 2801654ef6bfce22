using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Domain.Protection;

/// <summary>
/// One health check of a recovered server, as a plan stores it (<c>plan.health_checks</c>) and a health_check step
/// reads it: <c>{"server": "web" | "server_id": "…", "type": "tcp"|"http", "port": 1..65535, "path": "/…", "expect_status": 100..599}</c>.
/// The fields and their defaults live here once: the API checks against them, the planner fills them in, the step
/// and the report read them back.
/// </summary>
public sealed record HealthCheck(string? Server, string Type, int Port, string Path, int ExpectStatus)
{
    public const string Tcp = "tcp";
    public const string Http = "http";
    public const int DefaultPort = 22;
    public const string DefaultPath = "/";
    public const int DefaultExpectStatus = 200;

    /// <summary>The keys a stored check may hold; a check names its server by <c>server</c> (name or id) or <c>server_id</c>.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string> { "server", "server_id", "type", "port", "path", "expect_status" };

    /// <summary>The keys that name the check's server, rewritten when the plan's servers change ids (reprotect).</summary>
    public static readonly string[] ServerFields = ["server_id", "server"];

    /// <summary>Reads a check with the defaults filled in (a step's input holds the same keys).</summary>
    public static HealthCheck From(JsonObject node) => new(
        (node["server_id"] ?? node["server"])?.ToString(),
        Text(node["type"]) ?? Tcp,
        Number(node["port"]) ?? DefaultPort,
        Text(node["path"]) ?? DefaultPath,
        Number(node["expect_status"]) ?? DefaultExpectStatus);

    /// <summary>The checks a plan stores (JSON array), in order; none when the plan has none.</summary>
    public static IEnumerable<HealthCheck> ParseList(string? json) =>
        json is null ? [] : JsonNode.Parse(json)!.AsArray().OfType<JsonObject>().Select(From);

    /// <summary><c>http:80/</c>, <c>tcp:5432</c>: the check as people read it in reports.</summary>
    public string Describe() => Type == Http ? $"{Type}:{Port}{Path}" : $"{Type}:{Port}";

    private static string? Text(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Number(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;
}
