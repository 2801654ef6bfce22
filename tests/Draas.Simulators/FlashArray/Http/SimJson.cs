using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>snake_case on the wire, nulls kept (the array sends <c>"completed": null</c>).</summary>
public static class SimJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The JSON body, or null when there is none (sized or chunked alike).</summary>
    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
}
