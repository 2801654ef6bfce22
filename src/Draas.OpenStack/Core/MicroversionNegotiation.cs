using System.Text.Json;
using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>
/// Agrees a microversion with a service: reads the version document of the endpoint's API version
/// (Nova's {"version": {…}} at …/v2.1, Cinder's {"versions": […]} at …/v3/) and settles on the
/// lower of what we prefer and what the site offers, refusing a site below our minimum.
/// </summary>
public static class MicroversionNegotiation
{
    public static async Task<string> NegotiateAsync(ServiceClient client, CancellationToken ct)
    {
        var api = client.Api;
        if (api.DefaultMicroversion is null) throw new InvalidOperationException($"{api.CatalogType} has no microversions");
        var endpoint = await client.EndpointAsync(ct).ConfigureAwait(false);
        var versionUrl = VersionRoot(endpoint);
        var response = await client.SendUnagreedAsync(new OpenStackRequest(Method.Get, versionUrl.ToString()) { Microversion = null }, ct).ConfigureAwait(false);
        var (min, max) = ReadRange(response.RawBytes ?? [], versionUrl);

        var chosen = max is null ? api.DefaultMicroversion // a service without microversions: send ours, it ignores them
            : Microversion.Compare(max, api.DefaultMicroversion) < 0 ? max : api.DefaultMicroversion;
        if (api.MinimumMicroversion is { } needed && Microversion.Compare(chosen, needed) < 0)
            throw new OpenStackException(api.CatalogType, "GET", versionUrl.ToString(), response.StatusCode,
                $"the site offers microversions up to {max}; DRaaS needs at least {needed}", null);
        if (min is not null && Microversion.Compare(chosen, min) < 0)
            throw new OpenStackException(api.CatalogType, "GET", versionUrl.ToString(), response.StatusCode,
                $"the site supports microversions {min} to {max}; ours ({chosen}) is below its minimum", null);
        client.Microversion = chosen;
        return chosen;
    }

    /// <summary>http://h:8776/v3/PROJECT → http://h:8776/v3/ ; http://h:8774/v2.1 → http://h:8774/v2.1/</summary>
    internal static Uri VersionRoot(Uri endpoint)
    {
        var segments = endpoint.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindLastIndex(segments, s => s.Length > 1 && s[0] == 'v' && char.IsDigit(s[1]));
        var path = index < 0 ? "/" : "/" + string.Join('/', segments[..(index + 1)]) + "/";
        return new UriBuilder(endpoint) { Path = path, Query = "" }.Uri;
    }

    static (string? Min, string? Max) ReadRange(byte[] body, Uri versionUrl)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.TryGetProperty("version", out var single)) return Range(single);
        if (root.TryGetProperty("versions", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            var wanted = versionUrl.AbsolutePath.TrimEnd('/').Split('/').Last(); // "v3"
            JsonElement? pick = null;
            foreach (var v in many.EnumerateArray())
            {
                var id = v.TryGetProperty("id", out var idValue) ? idValue.GetString() ?? "" : "";
                if (id == wanted || id.StartsWith(wanted + ".", StringComparison.Ordinal)) pick = v;
                else if (pick is null && v.TryGetProperty("status", out var status) && status.GetString() == "CURRENT") pick = v;
            }
            if (pick is { } chosen) return Range(chosen);
        }
        return (null, null);
    }

    static (string?, string?) Range(JsonElement version)
    {
        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
        return (Text(version, "min_version"), Text(version, "version"));
    }
}
