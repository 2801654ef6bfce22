using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Cli.Output;

/// <summary>How a JSON value reads in a table cell: scalars as they are, lists of scalars comma-joined, the rest as compact JSON.</summary>
public static class Cells
{
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        // Times in one short format everywhere (the JSON keeps ISO 8601).
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Draas.Domain.Time.Readable.Time(v.GetValue<string>()),
        JsonValue v => v.ToJsonString(),
        JsonArray a when a.All(i => i is JsonValue) => string.Join(", ", a.Select(Text)),
        _ => node.ToJsonString(Formatter.JsonOptions(indented: false)),
    };

    public static string? String(JsonNode? node, string path) => At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A number whether it was parsed (a JsonElement) or built in code (an int, a double).</summary>
    public static double? Number(JsonNode? node, string path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
