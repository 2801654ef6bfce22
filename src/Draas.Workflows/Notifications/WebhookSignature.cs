using System.Security.Cryptography;
using System.Text;

namespace Draas.Workflows.Notifications;

/// <summary>
/// How the service signs what it posts to a receiver (notifications, and hooks): HMAC-SHA256 over
/// "<c>{timestamp}.{body}</c>" with the receiver's secret, so a receiver checks both that the body is ours and
/// that it is fresh (rejects a replay older than a few minutes). Headers: <see cref="TimestampHeader"/>
/// (Unix seconds) and <see cref="SignatureHeader"/> (<c>v1=</c> and the hex digest).
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Draas-Timestamp";
    public const string SignatureHeader = "X-Draas-Signature";

    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return "v1=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: the signature matches (in constant time) and the timestamp is within <paramref name="tolerance"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, out var ts) || signature is null) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > tolerance) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, ts, body)), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>Adds the two headers to a request about to be sent with <paramref name="body"/>.</summary>
    public static void Apply(HttpRequestMessage request, string secret, DateTimeOffset now, string body)
    {
        var ts = now.ToUnixTimeSeconds();
        request.Headers.Add(TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Sign(secret, ts, body));
    }
}
