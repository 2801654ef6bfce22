using Microsoft.AspNetCore.WebUtilities;

namespace Draas.Simulators.OpenStack.Core;

/// <summary>One marker/limit pager for every service: the page starts after the item whose id is the
/// marker, holds at most <c>limit</c> items, and carries a next link only when the page is full (so a
/// client that follows links stops on a short page, like Nova, Cinder and Glance do).</summary>
public static class Paging
{
    public sealed record Page<T>(IReadOnlyList<T> Items, string? NextMarker);

    public static bool TryPage<T>(HttpRequest request, IReadOnlyList<T> all, Func<T, string> id, int maxLimit,
        out Page<T> page, out string? error)
    {
        page = new Page<T>([], null);
        error = null;
        var limit = maxLimit;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, out limit) || limit < 0))
        {
            error = $"limit must be a non-negative integer, got '{limitText}'";
            return false;
        }
        limit = Math.Min(limit, maxLimit);
        var start = 0;
        var marker = request.Query["marker"].ToString();
        if (marker.Length > 0)
        {
            var index = -1;
            for (var i = 0; i < all.Count; i++)
            {
                if (id(all[i]) == marker) { index = i; break; }
            }
            if (index < 0)
            {
                error = $"marker [{marker}] not found";
                return false;
            }
            start = index + 1;
        }
        var items = all.Skip(start).Take(limit).ToList();
        // Like Nova and Cinder: a full page always links on, even when the next one turns out empty.
        var next = items.Count > 0 && items.Count == limit ? id(items[^1]) : null;
        page = new Page<T>(items, next);
        return true;
    }

    /// <summary>The request's own URL with the marker replaced (and the limit kept), as an absolute link.</summary>
    public static string NextHref(HttpRequest request, string marker, bool absolute = true)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in query)
        {
            if (key == "marker") continue;
            foreach (var v in values) pairs.Add(new(key, v));
        }
        pairs.Add(new("marker", marker));
        var path = QueryHelpers.AddQueryString(request.PathBase + request.Path, pairs);
        return absolute ? $"{request.Scheme}://{request.Host}{path}" : path;
    }

    public static object[] Links(HttpRequest request, string? nextMarker) =>
        nextMarker is null ? [] : [new { href = NextHref(request, nextMarker), rel = "next" }];
}
