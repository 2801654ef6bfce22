using System.Text.Json;
using System.Text.Json.Serialization;
using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Http;

/// <summary>
/// Reads a request body strictly: JSON only, bounded in size, unknown fields and wrong types refused
/// with a 400 that says where, so bad input never reaches a handler half-understood.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
        Converters = { new ExactEnumConverter() },
    };

    private static readonly JsonDocumentOptions Document = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static async Task<T> ReadAsync<T>(HttpRequest request, int maxBytes) where T : class
    {
        if (request.ContentLength > maxBytes) throw new ApiException(413, $"Request body is larger than {maxBytes} bytes.");
        if (!IsJson(request.ContentType)) throw new ApiException(415, "Content-Type must be application/json.");
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new ApiException(413, $"Request body is larger than {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw ApiException.BadRequest("A JSON request body is required.");
        try
        {
            // A JsonObject body checks its keys only when first used, in the handler, where a duplicate
            // would be a 500: parse the document once with duplicates refused, whatever T is.
            using (var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Document))
            {
                if (InputRules.FirstBadString(document.RootElement) is { } bad) throw ApiException.BadRequest(bad);
            }
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest(Describe(e));
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Says what is wrong and where, without .NET type names.</summary>
    private static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'') + 1;
            var name = start > 0 ? message[start..message.IndexOf('\'', start)] : "?";
            return $"Unknown field '{name}' at {path}.";
        }
        if (message.StartsWith(ExactEnumConverter.Problem, StringComparison.Ordinal))
            return $"Invalid value at {path}: {message}.";
        if (message.Contains("missing required properties", StringComparison.Ordinal))
            return $"Missing required field at {path}: {message[(message.LastIndexOf(':') + 1)..].Trim().TrimEnd('.')}.";
        if (message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("null", StringComparison.OrdinalIgnoreCase))
            return $"Invalid value at {path}: wrong type or null where a value is required.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return $"Duplicate field at {path}.";
        return $"Malformed JSON at {path}.";
    }
}
