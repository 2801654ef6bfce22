using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Workflows.Runs;

/// <summary>One step as the planner decides it: what a dry run shows and what the real run then executes.</summary>
public sealed record StepSpec(int Sequence, int Phase, string Kind, string? Target, JsonObject Input, IReadOnlyList<int> DependsOn, bool Always = false, int MaxAttempts = 5)
{
    public string InputJson => Input.ToJsonString(RunJson.Options);
}

/// <summary>The one JSON shape of step inputs, outputs and reports: snake_case, enums as words.</summary>
public static class RunJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, Options);

    public static JsonObject Object(string? json) => json is null ? [] : JsonNode.Parse(json)?.AsObject() ?? [];
}
