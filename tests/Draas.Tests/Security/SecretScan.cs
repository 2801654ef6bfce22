using System.Text;

namespace Draas.Tests.Security;

/// <summary>
/// Searches texts for secrets as written and in the encodings a leak would most likely take: base64
/// (standard and URL-safe, without padding), URL-encoded and hex. Each hit is named by secret, form and source.
/// </summary>
public sealed class SecretScan(IReadOnlyDictionary<string, string> secrets)
{
    public IReadOnlyDictionary<string, string> Secrets => secrets;

    public static IEnumerable<(string Form, string Text)> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = Convert.ToBase64String(bytes).TrimEnd('=');
        return new[]
        {
            ("plain", secret),
            ("base64", base64),
            ("base64url", base64.Replace('+', '-').Replace('/', '_')),
            ("url-encoded", Uri.EscapeDataString(secret)),
            ("hex", Convert.ToHexStringLower(bytes)),
        }.DistinctBy(f => f.Item2);
    }

    public int FormCount => secrets.Values.Sum(s => Forms(s).Count());

    /// <summary>Every secret form found in the text, as "what (form) in source: N".</summary>
    public IEnumerable<string> Hits(string source, string text) =>
        from secret in secrets
        from form in Forms(secret.Value)
        let count = Occurrences(text, form.Text, form.Form is "hex" or "url-encoded" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
        where count > 0
        select $"{secret.Key} ({form.Form}) in {source}: {count}";

    private static int Occurrences(string text, string value, StringComparison comparison)
    {
        var count = 0;
        for (var at = text.IndexOf(value, comparison); at >= 0; at = text.IndexOf(value, at + 1, comparison)) count++;
        return count;
    }
}
