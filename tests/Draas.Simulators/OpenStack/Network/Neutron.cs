using System.Text.Json;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>What every Neutron resource shares: its error shape, its owner rule, and its one way of listing
/// (filters on any attribute of the resource as shown, unknown filters refused as Zed's filter validation
/// does, then marker/limit pages with <c>{collection}_links</c>).</summary>
internal static class Neutron
{
    private static readonly HashSet<string> NotFilters = ["limit", "marker", "fields", "sort_key", "sort_dir", "page_reverse", "verbose"];

    public static IResult Error(int code, string type, string message) => ApiError.Neutron(code, type, message);
    public static IResult NotFound(string type, string id) => Error(404, $"{type}NotFound", $"{Spaced(type)} {id} could not be found.");
    public static IResult BadRequest(string message) => Error(400, "HTTPBadRequest", message);
    public static IResult Conflict(string type, string message) => Error(409, type, message);
    public static IResult Forbidden(string action) => Error(403, "PolicyNotAuthorized", $"rule:{action} is disallowed by policy");

    private static string Spaced(string type) => type switch
    {
        "SecurityGroup" => "Security group",
        "SecurityGroupRule" => "Security group rule",
        "FloatingIP" => "Floating IP",
        _ => type,
    };

    /// <summary>The body's resource object (<c>{"port": {...}}</c>), or null with the 400 Neutron gives.</summary>
    public static async Task<(JsonElement? Item, IResult? Error)> ReadAsync(HttpContext http, string key)
    {
        var body = await JsonBody.ReadAsync(http.Request);
        if (body is null) return (null, BadRequest("Malformed request body"));
        if (body.Prop(key) is not { ValueKind: JsonValueKind.Object } item) return (null, BadRequest($"Resource body required: '{key}' is missing"));
        return (item, null);
    }

    /// <summary>The project a new resource belongs to: the caller's, or (admin only) the one named in the body.</summary>
    public static string? Owner(Token t, JsonElement? item, string action, out IResult? error)
    {
        error = null;
        var named = item.Str("project_id") ?? item.Str("tenant_id");
        if (named is null || named == t.Project?.Id)
        {
            if (t.Project is null) error = BadRequest("A project-scoped token is required");
            if (!t.CanWrite) error = Forbidden(action);
            return t.Project?.Id;
        }
        if (!t.IsAdmin) error = Forbidden(action);
        return named;
    }

    public static bool Mine(Token t, string projectId) => t.IsAdmin || projectId == t.Project?.Id;

    public static IResult List<T>(HttpContext http, string collection, IEnumerable<T> items, Func<T, Dictionary<string, object?>> view, Func<T, string> id)
    {
        var q = http.Request.Query;
        var views = items.Select(i => (Item: i, View: view(i))).ToList();
        foreach (var (key, values) in q)
        {
            if (NotFilters.Contains(key)) continue;
            if (key == "fixed_ips")
            {
                // ?fixed_ips=ip_address=10.0.0.5 or subnet_id=...
                views = [.. views.Where(v => values.All(f => FixedIpMatches(v.View, f ?? "")))];
                continue;
            }
            if (views.Count > 0 && !views[0].View.ContainsKey(key) && !(key == "tenant_id" || key == "project_id"))
                return BadRequest($"[{key}] is invalid attribute for filtering");
            views = [.. views.Where(v => values.Any(wanted => Equal(Text(v.View.GetValueOrDefault(key)), wanted ?? "")))];
        }
        if (!Paging.TryPage(http.Request, views, v => id(v.Item), int.MaxValue, out var page, out var error)) return BadRequest(error!);
        var body = new Dictionary<string, object?> { [collection] = page.Items.Select(v => v.View).ToArray() };
        if (page.NextMarker is not null) body[$"{collection}_links"] = Paging.Links(http.Request, page.NextMarker);
        return SimJson.Json(body);
    }

    private static bool FixedIpMatches(Dictionary<string, object?> view, string filter)
    {
        var parts = filter.Split('=', 2);
        if (parts.Length != 2 || view.GetValueOrDefault("fixed_ips") is not IEnumerable<Dictionary<string, object?>> ips) return false;
        return ips.Any(ip => Equal(Text(ip.GetValueOrDefault(parts[0])), parts[1]));
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "True" : "False",
        _ => value.ToString(),
    };

    /// <summary>Neutron accepts booleans in filters as True/true/1.</summary>
    public static bool Equal(string? have, string wanted) => have == wanted
        || (have is "True" && wanted is "true" or "1") || (have is "False" && wanted is "false" or "0");
}
