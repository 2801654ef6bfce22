using System.Runtime.CompilerServices;
using System.Text.Json;
using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>
/// The one pager of the OpenStack APIs. Each page is {"key": [...]} plus a way to the next page,
/// which comes in three shapes: Nova/Cinder/Neutron "key_links": [{"rel": "next", "href": …}],
/// Glance "next": "/v2/images?marker=…", Keystone "links": {"next": …}. A page without a next link
/// ends the listing; an empty page ends it too, so a service that always sends a link cannot loop.
/// </summary>
internal static class Pager
{
    public static async IAsyncEnumerable<T> ListAsync<T>(ServiceClient client, string path, string key,
        IReadOnlyList<KeyValuePair<string, string>> query, [EnumeratorCancellation] CancellationToken ct, string? microversion = null)
    {
        string? next = path;
        var firstQuery = query;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            var response = await client.SendAsync(new OpenStackRequest(Method.Get, next) { Query = firstQuery, Microversion = microversion }, ct).ConfigureAwait(false);
            firstQuery = [];
            List<T> items;
            string? nextLink;
            try
            {
                (items, nextLink) = ReadPage<T>(response.RawBytes ?? [], key);
            }
            catch (JsonException e)
            {
                throw ServiceClient.Malformed(client.Api.CatalogType, response, $"page of {key}", e);
            }
            foreach (var item in items) yield return item;
            if (items.Count == 0 || nextLink is null) yield break;
            next = await ResolveAsync(client, nextLink, ct).ConfigureAwait(false);
            if (!seen.Add(next)) yield break; // a service repeating a link would otherwise page forever
        }
    }

    internal static (List<T> Items, string? Next) ReadPage<T>(byte[] body, string key)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var items = root.TryGetProperty(key, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.Deserialize<List<T>>(OpenStackJson.Options) ?? []
            : [];
        return (items, NextLink(root, key));
    }

    static string? NextLink(JsonElement root, string key)
    {
        if (root.TryGetProperty(key + "_links", out var links) && links.ValueKind == JsonValueKind.Array)
            foreach (var link in links.EnumerateArray())
                if (link.TryGetProperty("rel", out var rel) && rel.GetString() == "next" && link.TryGetProperty("href", out var href))
                    return href.GetString();
        if (root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String)
            return next.GetString();
        if (root.TryGetProperty("links", out var keystone) && keystone.ValueKind == JsonValueKind.Object
            && keystone.TryGetProperty("next", out var keystoneNext) && keystoneNext.ValueKind == JsonValueKind.String)
            return keystoneNext.GetString();
        return null;
    }

    /// <summary>
    /// Absolute links keep their path and query but take the scheme, host and port of the catalog
    /// endpoint: behind a TLS-terminating proxy a service writes links with its own internal
    /// "http://host:8774", which the caller may not reach. Glance's relative "/v2/images?…" is
    /// relative to the endpoint's root, which may itself sit under a path prefix
    /// ("http://host/image"), so the version segment the link repeats is matched against the endpoint.
    /// </summary>
    internal static async Task<string> ResolveAsync(ServiceClient client, string link, CancellationToken ct)
    {
        var endpointUri = await client.EndpointAsync(ct).ConfigureAwait(false);
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
            return new UriBuilder(absolute) { Scheme = endpointUri.Scheme, Host = endpointUri.Host, Port = endpointUri.Port }.Uri.ToString();
        var endpoint = endpointUri.ToString().TrimEnd('/');
        var relative = link.TrimStart('/');
        var firstSegment = relative.Split('/', 2)[0];
        if (endpoint.EndsWith("/" + firstSegment, StringComparison.Ordinal))
            endpoint = endpoint[..^(firstSegment.Length + 1)];
        return endpoint + "/" + relative;
    }
}
