using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.V1;

/// <summary>How the API writes JSON: snake_case names and enum values, like every OpenStack service.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Describe(new());

    /// <summary>Gives options the API's naming (also the OpenAPI document's, through the framework's JSON options).</summary>
    public static JsonSerializerOptions Describe(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    public static IResult Ok(object body, int status = 200) => Results.Json(body, Options, statusCode: status);
}
