using System.Text.Json;

namespace Draas.OpenStack.Core;

/// <summary>Pulls the human message out of the error bodies the services send.</summary>
internal static class ServiceMessage
{
    const int MaxLength = 1000;

    /// <summary>
    /// Nova/Cinder: {"itemNotFound": {"code": 404, "message": "…"}}; Keystone: {"error": {"message": …}};
    /// Neutron: {"NeutronError": {"message": …}}; Glance and proxies: plain text or HTML.
    /// </summary>
    public static string? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (TryMessage(doc.RootElement, out var top)) return top;
                foreach (var property in doc.RootElement.EnumerateObject())
                    if (property.Value.ValueKind == JsonValueKind.Object && TryMessage(property.Value, out var inner))
                        return inner;
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to the text
        }
        var text = body.Trim();
        return text.Length > MaxLength ? text[..MaxLength] : text;
    }

    static bool TryMessage(JsonElement element, out string? message)
    {
        message = null;
        foreach (var name in (ReadOnlySpan<string>)["message", "faultstring", "detail"])
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                message = value.GetString();
                return true;
            }
        return false;
    }
}
