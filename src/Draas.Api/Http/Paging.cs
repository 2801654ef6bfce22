using System.Text.Json.Nodes;
using Draas.Api.Errors;
using Draas.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Draas.Api.Http;

/// <summary>OpenStack-style pagination: <c>limit</c> and <c>marker</c> (the last id seen), with a next link.</summary>
public sealed record Paging(int Limit, Guid? Marker)
{
    public static Paging From(HttpRequest request, int maxLimit)
    {
        var limit = maxLimit;
        if (request.Query.TryGetValue("limit", out var rawLimit))
        {
            if (!int.TryParse(rawLimit, out limit) || limit < 1)
                throw ApiException.BadRequest("limit must be a positive integer.");
            limit = Math.Min(limit, maxLimit);
        }
        Guid? marker = null;
        if (request.Query.TryGetValue("marker", out var rawMarker))
        {
            if (!Guid.TryParse(rawMarker, out var parsed)) throw ApiException.BadRequest($"marker {rawMarker} is not a valid id.");
            marker = parsed;
        }
        return new Paging(limit, marker);
    }

    /// <summary>One page of a query in id order, after the marker (which must exist: 400 otherwise).</summary>
    public async Task<List<T>> PageAsync<T>(IQueryable<T> query, CancellationToken ct) where T : class, IEntity
    {
        if (Marker is { } marker)
        {
            if (!await query.AnyAsync(e => e.Id == marker, ct)) throw ApiException.BadRequest($"marker {marker} could not be found.");
            query = query.Where(e => e.Id.CompareTo(marker) > 0);
        }
        return await query.OrderBy(e => e.Id).Take(Limit).ToListAsync(ct);
    }

    /// <summary>The <c>&lt;collection&gt;_links</c> array: a next link when the page is full.</summary>
    public JsonArray Links(HttpRequest request, int returned, Guid? lastId)
    {
        var links = new JsonArray();
        if (returned < Limit || lastId is null) return links;
        var query = request.Query.Where(q => q.Key is not ("marker" or "limit"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"limit={Limit}").Append($"marker={lastId}");
        links.Add(new JsonObject
        {
            ["rel"] = "next",
            ["href"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}",
        });
        return links;
    }
}
