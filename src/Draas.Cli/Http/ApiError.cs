using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Cli.Http;

/// <summary>One plain sentence for a failed call: the service's own message, its status and its request id.</summary>
public static class ApiError
{
    public static CliException From(HttpMethod method, string path, HttpStatusCode status, string body, string? requestId)
    {
        var message = FaultMessage(body);
        var code = (int)status;
        var sentence = message is null
            ? $"{method} {path} failed with {code} {status}"
            : $"{message.TrimEnd('.')} ({code}";
        sentence = message is null
            ? sentence + (requestId is null ? "." : $" (request id {requestId}).")
            : sentence + (requestId is null ? ")." : $", request id {requestId}).");
        return new CliException(sentence, ExitCodeFor(status));
    }

    /// <summary>400 and 404 are bad input, 401 bad credentials: the caller can fix those. The rest are failures.</summary>
    public static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.UnprocessableEntity => ExitCodes.Usage,
        _ => ExitCodes.Failure,
    };

    /// <summary>The message inside an OpenStack fault, <c>{"itemNotFound": {"code": 404, "message": "..."}}</c>.</summary>
    public static string? FaultMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject { Count: 1 } fault && fault.First().Value is JsonObject inner
                && inner["message"] is JsonValue value && value.TryGetValue<string>(out var text))
                return text;
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
