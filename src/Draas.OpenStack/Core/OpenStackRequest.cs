using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>One call to a service, described once so every attempt of the retry loop can rebuild it.</summary>
internal sealed record OpenStackRequest(Method Method, string Path)
{
    /// <summary>Serialised with <see cref="OpenStackJson.Options"/>; a string is sent as it is.</summary>
    public object? Body { get; init; }
    public string ContentType { get; init; } = "application/json";
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    /// <summary>Overrides the client's microversion for a call that needs a newer one (e.g. manage existing ≥ 3.8).</summary>
    public string? Microversion { get; init; }
    /// <summary>Set where the API documents 409 as "busy, try again" (server task_state, volume in transition).</summary>
    public bool ConflictIsTransient { get; init; }
}

/// <summary>Builds query strings that leave unset filters out.</summary>
internal sealed class QueryBuilder
{
    readonly List<KeyValuePair<string, string>> _items = [];

    public QueryBuilder Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) _items.Add(new(name, value));
        return this;
    }

    public QueryBuilder Add(string name, int? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QueryBuilder Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public IReadOnlyList<KeyValuePair<string, string>> Build() => _items;
}
