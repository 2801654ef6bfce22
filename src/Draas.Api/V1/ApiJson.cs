using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.V1;

/// <summary>How the API writes JSON: snake_case names and enum values, like every OpenStack service.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IResult Ok(object body, int status = 200) => Results.Json(body, Options, statusCode: status);
}
