using System.Net;
using System.Text.Json;
using Draas.Plugins.Pure.Rest.Models;
using Draas.Storage;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>Turns a failed FlashArray response into an <see cref="ArrayException"/>. The array answers
/// 400 for nearly everything, so the kind comes from the message substrings Pure's own clients match.</summary>
internal static class ErrorMapping
{
    private static readonly (string Substring, ArrayErrorKind Kind)[] Rules =
    [
        ("does not exist", ArrayErrorKind.NotFound),
        ("not found", ArrayErrorKind.NotFound),
        ("has been destroyed", ArrayErrorKind.Destroyed),
        ("already exists", ArrayErrorKind.AlreadyExists),
        ("already includes", ArrayErrorKind.AlreadyExists),
        ("already allowed on", ArrayErrorKind.AlreadyExists),
        ("already belongs to", ArrayErrorKind.AlreadyExists),
        ("cannot be deleted due to existing connections", ArrayErrorKind.InUse),
        ("already in use", ArrayErrorKind.InUse),
        ("limit reached", ArrayErrorKind.InsufficientCapacity),
        ("not connected", ArrayErrorKind.NotConnected),
    ];

    public static ArrayException ToException(RestResponse response, string arrayName, string requestId)
    {
        if (response.StatusCode == 0)
        {
            // No HTTP answer at all: refused, reset, DNS, TLS, or our own timeout.
            var kind = response.ResponseStatus == ResponseStatus.TimedOut ? ArrayErrorKind.Timeout : ArrayErrorKind.Unreachable;
            return new ArrayException(kind, response.ErrorMessage ?? response.ErrorException?.Message ?? "no response",
                arrayName, null, requestId, inner: response.ErrorException);
        }

        var (message, context) = ReadMessage(response.Content);
        message ??= $"HTTP {(int)response.StatusCode} {response.StatusDescription}";
        var echoedId = Header(response, "X-Request-ID") ?? requestId;
        return new ArrayException(Classify(response.StatusCode, message), message, arrayName,
            response.StatusCode, echoedId, context);
    }

    public static ArrayErrorKind Classify(HttpStatusCode status, string message)
    {
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return ArrayErrorKind.Unauthorized;
        if (status == HttpStatusCode.NotFound) return ArrayErrorKind.NotFound;
        foreach (var (substring, kind) in Rules)
        {
            if (message.Contains(substring, StringComparison.OrdinalIgnoreCase)) return kind;
        }
        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests) return ArrayErrorKind.Unreachable;
        return status == HttpStatusCode.BadRequest ? ArrayErrorKind.InvalidRequest : ArrayErrorKind.Unknown;
    }

    internal static string? Header(RestResponse response, string name) =>
        response.Headers?.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString();

    private static (string? Message, string? Context) ReadMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return (null, null);
        try
        {
            var envelope = JsonSerializer.Deserialize<ErrorEnvelope>(content, PureJson.Options);
            var first = envelope?.Errors?.FirstOrDefault();
            if (first?.Message is not null) return (first.Message, first.Context);
            return (envelope?.Message, null);
        }
        catch (JsonException)
        {
            return (content.Length > 200 ? content[..200] : content, null);
        }
    }
}
