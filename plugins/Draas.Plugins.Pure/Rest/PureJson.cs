using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.Plugins.Pure.Rest;

/// <summary>The wire is snake_case; PATCH bodies carry only the fields being changed.</summary>
internal static class PureJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
