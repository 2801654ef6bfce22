using System.Text.RegularExpressions;
using Draas.Api.Errors;

namespace Draas.Api.Http;

/// <summary>Collects every problem with a request body, so the caller learns all of them in one 400.</summary>
public sealed partial class Validator
{
    private readonly List<string> _problems = [];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex NamePattern();

    public string? Name(string field, string? value, bool required)
    {
        if (Missing(field, value, required)) return null;
        if (!NamePattern().IsMatch(value!))
            _problems.Add($"{field} must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        return value;
    }

    /// <summary>A name or identifier that is not one of ours (a Keystone user or project, a region, a domain,
    /// a network): no control character, not blank, no space at either end (see docs/input-rules.md).</summary>
    public string? Text(string field, string? value, int maxLength, bool required = false)
    {
        if (Missing(field, value, required)) return null;
        if (value!.Length > maxLength) _problems.Add($"{field} must be at most {maxLength} characters");
        if (value.Any(char.IsControl)) _problems.Add($"{field} must not contain control characters");
        else if (string.IsNullOrWhiteSpace(value)) _problems.Add($"{field} must not be blank");
        else if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) _problems.Add($"{field} must not begin or end with spaces");
        return value;
    }

    /// <summary>Free text for people (a description): any characters but NUL and control characters other than
    /// tab and line breaks, which <see cref="JsonBody"/> refuses already.</summary>
    public string? FreeText(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        if (value.Length > maxLength) _problems.Add($"{field} must be at most {maxLength} characters");
        return value;
    }

    /// <summary>A password or token: kept as sent, spaces included (they are the caller's to choose), but never
    /// empty and never with control characters.</summary>
    public string? Secret(string field, string? value, int maxLength, bool required = false)
    {
        if (Missing(field, value, required)) return null;
        if (value!.Length > maxLength) _problems.Add($"{field} must be at most {maxLength} characters");
        if (value.Any(char.IsControl)) _problems.Add($"{field} must not contain control characters");
        return value;
    }

    public string? Url(string field, string? value, bool required)
    {
        if (Missing(field, value, required)) return null;
        // Uri parsing forgives a trailing newline that would then be stored: control characters are refused first.
        if (value!.Length > 255 || value.Any(char.IsControl) || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            _problems.Add($"{field} must be an http(s) URL without credentials, query, fragment or control characters, at most 255 characters");
        }
        return value;
    }

    /// <summary>An array endpoint in the form its storage plugin takes (an http(s) URL when the plugin is not known yet).</summary>
    public string? Endpoint(string field, string? value, bool required, Draas.Storage.IStoragePlugin? plugin)
    {
        if (plugin is null) return Url(field, value, required);
        if (Missing(field, value, required)) return null;
        if (value!.Length > 255 || value.Any(char.IsControl) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
            _problems.Add($"{field} must be an absolute URL without control characters, at most 255 characters");
        else if (plugin.EndpointProblem(uri) is { } problem)
            _problems.Add($"{field}: {problem}");
        return value;
    }

    public string? OneOf(string field, string? value, IReadOnlyCollection<string> allowed, bool required = false)
    {
        if (Missing(field, value, required)) return null;
        // Exactly as written: "PURE" or " drill" would be stored as sent and match nothing later.
        if (!allowed.Contains(value!, StringComparer.Ordinal)) _problems.Add($"{field} must be one of: {string.Join(", ", allowed)}");
        return value;
    }

    public int? Between(string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max)) _problems.Add($"{field} must be between {min} and {max}");
        return value;
    }

    public void Require(bool condition, string problem)
    {
        if (!condition) _problems.Add(problem);
    }

    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0) throw ApiException.BadRequest("Invalid input: " + string.Join("; ", _problems) + ".");
    }

    private bool Missing(string field, string? value, bool required)
    {
        if (value is not null && value.Length == 0)
        {
            _problems.Add($"{field} must not be empty");
            return true;
        }
        if (value is null)
        {
            if (required) _problems.Add($"{field} is required");
            return true;
        }
        return false;
    }
}
