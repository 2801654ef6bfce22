using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>
/// The GET pipeline every list shares, over the wire form of the items: <c>filter</c> (<c>a='x*'</c>,
/// dotted paths, <c>and</c>; on a list field <c>=</c> means contains), <c>sort</c> (<c>field</c> or
/// <c>field-</c>), <c>offset</c>, <c>limit</c>, <c>continuation_token</c>, <c>total_item_count</c>.
/// </summary>
public static class ListQuery
{
    /// <summary>The GET envelope; the host also sends the token as <c>x-next-token</c>.</summary>
    public sealed record ListPage(string? ContinuationToken, bool MoreItemsRemaining, int? TotalItemCount, IReadOnlyList<JsonNode> Items);

    public static ListPage Apply(IEnumerable<object> items, Req req, int maxPageSize)
    {
        var nodes = items.Select(i => JsonSerializer.SerializeToNode(i, SimJson.Options)!).ToList();
        if (req.Get("filter") is { Length: > 0 } filter)
        {
            var clauses = Regex.Split(filter, @"\s+and\s+", RegexOptions.IgnoreCase).Select(ParseClause).ToList();
            nodes = nodes.Where(n => clauses.All(c => Matches(n, c.Path, c.Value))).ToList();
        }
        if (req.Get("sort") is { Length: > 0 } sort)
        {
            IOrderedEnumerable<JsonNode>? ordered = null;
            foreach (var key in sort.Split(','))
            {
                var desc = key.EndsWith('-');
                var path = key.TrimEnd('-', '+');
                Func<JsonNode, JsonNode?> by = n => At(n, path);
                ordered = ordered is null
                    ? desc ? nodes.OrderByDescending(by, NodeComparer.Instance) : nodes.OrderBy(by, NodeComparer.Instance)
                    : desc ? ordered.ThenByDescending(by, NodeComparer.Instance) : ordered.ThenBy(by, NodeComparer.Instance);
            }
            nodes = ordered!.ToList();
        }

        var offset = int.TryParse(req.Get("offset"), CultureInfo.InvariantCulture, out var o) ? o : 0;
        if (req.Get("continuation_token") is { Length: > 0 } token)
        {
            try { offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw new SimError("Invalid continuation_token.", "continuation_token"); }
        }
        var limit = int.TryParse(req.Get("limit"), CultureInfo.InvariantCulture, out var l) ? Math.Min(l, maxPageSize) : maxPageSize;
        var page = nodes.Skip(offset).Take(limit).ToList();
        var more = offset + page.Count < nodes.Count;
        return new ListPage(
            more ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture))) : null,
            more,
            req.Flag("total_item_count") ? nodes.Count : null,
            page);
    }

    private static (string Path, string Value) ParseClause(string clause)
    {
        var eq = clause.IndexOf('=');
        if (eq <= 0) throw new SimError($"Invalid filter: {clause}", "filter");
        return (clause[..eq].Trim(), clause[(eq + 1)..].Trim().Trim('\'', '"'));
    }

    private static JsonNode? At(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.')) current = current is JsonObject o ? o[part] : null;
        return current;
    }

    private static bool Matches(JsonNode node, string path, string wanted)
    {
        var value = At(node, path);
        if (value is JsonArray list) return list.Any(item => item is not null && Same(item, wanted));
        return value is not null && Same(value, wanted);
    }

    private static bool Same(JsonNode value, string wanted)
    {
        if (value is JsonValue v && v.TryGetValue<double>(out var number) &&
            double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var w))
            return Math.Abs(number - w) < 1e-9;
        var text = value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value.ToJsonString();
        if (!wanted.Contains('*')) return string.Equals(text, wanted, StringComparison.Ordinal);
        return Regex.IsMatch(text, "^" + Regex.Escape(wanted).Replace("\\*", ".*", StringComparison.Ordinal) + "$");
    }

    private sealed class NodeComparer : IComparer<JsonNode?>
    {
        public static readonly NodeComparer Instance = new();

        public int Compare(JsonNode? x, JsonNode? y)
        {
            if (x is null || y is null) return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            if (x is JsonValue a && y is JsonValue b && a.TryGetValue<double>(out var da) && b.TryGetValue<double>(out var db))
                return da.CompareTo(db);
            return string.CompareOrdinal(x.ToJsonString(), y.ToJsonString());
        }
    }
}
