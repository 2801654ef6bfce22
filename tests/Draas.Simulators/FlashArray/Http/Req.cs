using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Model;
using Microsoft.AspNetCore.Http;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>One REST call as the handlers see it: method, resource, query lists, JSON body.</summary>
public sealed class Req(string method, string resource, IQueryCollection query, JsonNode? body)
{
    public string Method { get; } = method;
    public string Resource { get; } = resource;
    public IQueryCollection Query { get; } = query;
    public JsonNode? Body { get; } = body;

    /// <summary>A comma-separated list parameter (ASP.NET has already percent-decoded it).</summary>
    public IReadOnlyList<string>? List(string key) =>
        Query.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v.ToString())
            ? v.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
            : null;

    public IReadOnlyList<string> Required(string key) =>
        List(key) ?? throw new SimError($"Missing required parameter '{key}'.", key);

    public string? Get(string key) => Query.TryGetValue(key, out var v) ? v.ToString() : null;

    public bool Flag(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>null: both; true: only destroyed; false: only live.</summary>
    public bool? Destroyed => Get("destroyed") is { } d ? string.Equals(d, "true", StringComparison.OrdinalIgnoreCase) : null;

    public JsonNode? BodyField(string path)
    {
        var node = Body;
        foreach (var part in path.Split('.')) node = node?[part];
        return node;
    }

    public bool Has(string field) => Body is JsonObject o && o.ContainsKey(field);
}

/// <summary>An answer: status and a JSON body.</summary>
public sealed record Reply(int Status, object? Body)
{
    public static Reply Items(IEnumerable<object> items) => new(200, new { Items = items.ToList() });
    public static Reply Empty() => new(200, null);
}
