using System.Text.Json;

namespace Draas.Simulators.OpenStack.Core;

/// <summary>Reads request bodies as <see cref="JsonElement"/>: the services accept loose, optional,
/// nested shapes, and the simulator checks them the way the services do rather than by a schema.</summary>
public static class JsonBody
{
    public static async Task<JsonElement?> ReadAsync(HttpRequest request)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement? Prop(this JsonElement? e, string name) => e is { } v ? v.Prop(name) : null;

    public static string? Str(this JsonElement? e, string name) => e.Prop(name) is { } v
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
        : null;

    public static int? Int(this JsonElement? e, string name)
    {
        if (e.Prop(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), out i)) return i;
        return null;
    }

    public static bool? Bool(this JsonElement? e, string name)
    {
        if (e.Prop(name) is not { } v) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => null,
        };
    }

    /// <summary>A JSON object of string values (metadata, extra specs); null when it is not one.</summary>
    public static Dictionary<string, string>? StringMap(this JsonElement? e, string name)
    {
        if (e.Prop(name) is not { ValueKind: JsonValueKind.Object } v) return e.Prop(name) is null ? [] : null;
        var map = new Dictionary<string, string>();
        foreach (var p in v.EnumerateObject())
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return map;
    }
}
