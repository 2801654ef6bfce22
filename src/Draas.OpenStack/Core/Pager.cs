using System.Runtime.CompilerServices;
using System.Text.Json;
using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>
/// The one pager, for the OpenStack APIs and for the service's own API as draasctl reads it. Each page is
/// {"key": [...]} plus a way to the next page, which comes in three shapes: Nova/Cinder/Neutron (and DRaaS)
/// "key_links": [{"rel": "next", "href": …}], Glance "next": "/v2/images?marker=…", Keystone
/// "links": {"next": …}. A page without a next link ends the listing; an empty page ends it too, so a
/// service that always sends a link cannot loop, and neither can one that repeats a link.
/// </summary>
public static class Pager
{
    /// <summary>
    /// Walks the pages of any transport: <paramref name="fetch"/> gets the first page when given null and
    /// the page at a resolved link otherwise; <paramref name="resolve"/> turns a next link into what
    /// <paramref name="fetch"/> takes; <paramref name="malformed"/> names the error of a page that is not JSON.
    /// </summary>
    public static async IAsyncEnumerable<T> WalkAsync<T>(string key, Func<string?, CancellationToken, Task<byte[]>> fetch,
        Func<string, CancellationToken, Task<string>> resolve, Func<JsonException, Exception> malformed,
        [EnumeratorCancellation] CancellationToken ct)
    {
        string? next = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var body = await fetch(next, ct).ConfigureAwait(false);
            List<T> items;
            string? nextLink;
            try
            {
                (items, nextLink) = ReadPage<T>(body, key);
            }
            catch (JsonException e)
            {
                throw malformed(e);
            }
            foreach (var item in items) yield return item;
            if (items.Count == 0 || nextLink is null) yield break;
            next = await resolve(nextLink, ct).ConfigureAwait(false);
            if (!seen.Add(next)) yield break;
        }
    }

    internal static IAsyncEnumerable<T> ListAsync<T>(ServiceClient client, string path, string key,
        IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct, string? microversion = null)
    {
        RestResponse? last = null;
        return WalkAsync<T>(key,
            async (link, c) =>
            {
                var request = link is null
                    ? new OpenStackRequest(Method.Get, path) { Query = query, Microversion = microversion }
                    : new OpenStackRequest(Method.Get, link) { Microversion = microversion };
                last = await client.SendAsync(request, c).ConfigureAwait(false);
                return last.RawBytes ?? [];
            },
            (link, c) => ResolveAsync(client, link, c),
            e => ServiceClient.Malformed(client.Api.CatalogType, last!, $"page of {key}", e),
            ct);
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
