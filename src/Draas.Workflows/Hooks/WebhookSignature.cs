using System.Security.Cryptography;
using System.Text;

namespace Draas.Workflows.Hooks;

/// <summary>
/// The one signature of what the service posts to a receiver: HMAC-SHA256 with the hook's secret over
/// <c>{timestamp}.{body}</c>, hex, in <c>X-Draas-Signature: sha256=…</c>, the Unix timestamp in
/// <c>X-Draas-Timestamp</c>. A receiver recomputes it and rejects a stale timestamp (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Draas-Timestamp";
    public const string SignatureHeader = "X-Draas-Signature";

    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>What a receiver does: the signature matches (in constant time) and the timestamp is recent.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, out var t) || signature is null) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - t) > tolerance.TotalSeconds) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, t, body)), Encoding.ASCII.GetBytes(signature));
    }
}
