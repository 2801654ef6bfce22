using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.Simulators.OpenStack.Core;

/// <summary>The one JSON setting of the simulator: snake_case like every OpenStack service, nulls kept
/// (the services send explicit nulls and clients rely on the keys being present).</summary>
public static class SimJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    /// <summary>Timestamps as the services print them: ISO 8601, UTC, microseconds, no offset.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff");

    /// <summary>Keystone and Glance print a trailing Z.</summary>
    public static string TimeZ(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");

    /// <summary>Nova prints seconds and a trailing Z.</summary>
    public static string TimeSecZ(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    /// <summary>A one-key object whose key is printed as written: for Nova's camelCase wrappers
    /// (<c>volumeAttachment</c>, <c>availabilityZoneInfo</c>) that the naming policy would rename.</summary>
    public static Dictionary<string, object?> Named(string key, object? value) => new() { [key] = value };

    public static IResult Json(object? body, int status = 200) => Results.Json(body, Options, statusCode: status);
}
