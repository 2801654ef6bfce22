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

    /// <summary>Step inputs as the planner always stored them: every field, a null one too (a dry run shows what
    /// was decided absent); reading one back, a field its record requires must be there.</summary>
    public static readonly JsonSerializerOptions InputOptions = new(Options)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A stored step input as its kind's record.</summary>
    public static T ReadInput<T>(string? input) => JsonSerializer.Deserialize<T>(input ?? "{}", InputOptions)!;

    /// <summary>A stored step output as its kind's record.</summary>
    public static T ReadOutput<T>(string? output) => JsonSerializer.Deserialize<T>(output ?? "{}", Options)!;

    /// <summary>A step's typed input as the JSON the planner stores.</summary>
    public static JsonObject Input(object input) => JsonSerializer.SerializeToNode(input, input.GetType(), InputOptions)!.AsObject();

    public static JsonObject Object(string? json) => json is null ? [] : JsonNode.Parse(json)?.AsObject() ?? [];
}
