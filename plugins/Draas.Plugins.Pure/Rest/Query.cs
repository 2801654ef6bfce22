using System.Collections;

namespace Draas.Plugins.Pure.Rest;

/// <summary>Query parameters the way FlashArray wants them: lists comma separated with each element
/// percent-encoded on its own (<c>pod::vol</c> → <c>pod%3A%3Avol</c>), booleans lower case.</summary>
public sealed class Query : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _encoded = [];

    public void Add(string key, string value) => _encoded.Add(new(key, Uri.EscapeDataString(value)));

    public void Add(string key, IEnumerable<string> values) =>
        _encoded.Add(new(key, string.Join(',', values.Select(Uri.EscapeDataString))));

    public void Add(string key, bool value) => _encoded.Add(new(key, value ? "true" : "false"));

    public void Add(string key, long value) => _encoded.Add(new(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A copy with one more parameter (the pager adds the continuation token this way).</summary>
    public Query With(string key, string value)
    {
        var copy = new Query();
        copy._encoded.AddRange(_encoded);
        copy.Add(key, value);
        return copy;
    }

    /// <summary>A copy with one more parameter whose value is already encoded.</summary>
    public Query WithEncoded(string key, string encodedValue)
    {
        var copy = new Query();
        copy._encoded.AddRange(_encoded);
        copy._encoded.Add(new(key, encodedValue));
        return copy;
    }

    /// <summary>Pairs whose values are already encoded.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _encoded.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join('&', _encoded.Select(p => $"{p.Key}={p.Value}"));
}
