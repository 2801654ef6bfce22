using System.Text.Json;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>snake_case on the wire, nulls kept (the array sends <c>"completed": null</c>).</summary>
public static class SimJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
}
