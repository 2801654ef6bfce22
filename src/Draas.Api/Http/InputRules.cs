using System.Text.Json;

namespace Draas.Api.Http;

/// <summary>
/// The rules every string that enters the API obeys, whatever the field (docs/input-rules.md): no NUL
/// anywhere, no control character anywhere but tab and line breaks in free text (a field named
/// <c>description</c>). PostgreSQL refuses NUL in text (a 500 if it got that far), and a control character
/// in a name, an id or a URL is never meant and breaks logs, shells and the clouds it is sent to.
/// </summary>
public static class InputRules
{
    /// <summary>The free-text fields: the only ones where tab, CR and LF are allowed.</summary>
    private const string FreeTextField = "description";

    public static bool IsControlAllowedInFreeText(char c) => c is '\t' or '\n' or '\r';

    /// <summary>Why a query string or path holds a character no value of ours has, or null.</summary>
    public static string? BadQueryOrPath(string what, string value) =>
        value.Contains('\0') ? $"{what} contains a NUL character."
        : value.Any(char.IsControl) ? $"{what} contains a control character."
        : null;

    /// <summary>The first string (property name or value) of a JSON body that breaks the rules, described with
    /// its path; null when all are fine.</summary>
    public static string? FirstBadString(JsonElement root)
    {
        try
        {
            return Walk(root, "$", freeText: false);
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot turn into .NET text: an escaped lone surrogate.
            return "Invalid value: a string is not valid text (a lone surrogate).";
        }
    }

    private static string? Walk(JsonElement e, string path, bool freeText)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    var child = $"{path}.{p.Name}";
                    if (Check(p.Name, freeText: false) is { } keyProblem) return $"Invalid field name at {path}: {keyProblem}.";
                    if (Walk(p.Value, child, p.Name == FreeTextField) is { } problem) return problem;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{i++}]", freeText: false) is { } problem) return problem;
                }
                return null;
            case JsonValueKind.String:
                return Check(e.GetString()!, freeText) is { } bad ? $"Invalid value at {path}: {bad}." : null;
            default:
                return null;
        }
    }

    private static string? Check(string value, bool freeText)
    {
        if (value.Contains('\0')) return "NUL characters are not allowed";
        if (value.Any(c => char.IsControl(c) && !(freeText && IsControlAllowedInFreeText(c))))
            return freeText ? "control characters other than tab and line breaks are not allowed" : "control characters are not allowed";
        return null;
    }
}
