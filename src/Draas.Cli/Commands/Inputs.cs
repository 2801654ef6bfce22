using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Cli.Commands;

/// <summary>Parses what operators type into option values; anything malformed ends the command with exit 2 and the option's name.</summary>
public static class Inputs
{
    /// <summary>JSON given inline, or <c>@FILE</c> to read it from a file.</summary>
    public static JsonNode Json(string option, string text)
    {
        var source = text;
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            if (!File.Exists(path)) throw CliException.Usage($"{option}: the file {path} does not exist.");
            source = File.ReadAllText(path);
        }
        try
        {
            return JsonNode.Parse(source) ?? throw CliException.Usage($"{option} must be JSON, not null.");
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"{option} is not valid JSON ({e.Message.Split(". ")[0].TrimEnd('.')}).");
        }
    }

    public static JsonObject JsonObject(string option, string text) =>
        Json(option, text) as JsonObject ?? throw CliException.Usage($"{option} must be a JSON object ({{...}}).");

    /// <summary><c>KEY=VALUE</c>, e.g. <c>--network-map net-a=net-b</c>.</summary>
    public static (string Key, string Value) KeyValue(string option, string text)
    {
        var at = text.IndexOf('=');
        if (at <= 0) throw CliException.Usage($"{option} takes KEY=VALUE, not '{text}'.");
        return (text[..at], text[(at + 1)..]);
    }

    /// <summary><c>ID</c> or <c>ID:GROUP</c> for a plan resource and its priority group (1..10).</summary>
    public static (string Id, int? Group) WithGroup(string option, string text)
    {
        var at = text.LastIndexOf(':');
        if (at < 0) return (text, null);
        if (at == 0 || !int.TryParse(text[(at + 1)..], out var group) || group is < 1 or > 10)
            throw CliException.Usage($"{option} takes ID or ID:GROUP with GROUP 1..10, not '{text}'.");
        return (text[..at], group);
    }

    /// <summary>Seconds as a number, or with a unit: <c>90</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>.</summary>
    public static int Seconds(string option, string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        var factor = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
        if (factor == 0 || !int.TryParse(number, out var n) || n < 0)
            throw CliException.Usage($"{option} takes seconds or a duration like 90s, 15m, 2h, not '{text}'.");
        return checked(n * factor);
    }

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)i)]);

    /// <summary>Sets <paramref name="key"/> only when a value was given, so an update changes only what was asked.</summary>
    public static JsonObject Put(this JsonObject obj, string key, JsonNode? value)
    {
        if (value is not null) obj[key] = value;
        return obj;
    }
}
