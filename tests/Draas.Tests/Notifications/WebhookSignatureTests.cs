using System.Security.Cryptography;
using System.Text;
using Draas.Workflows.Notifications;

namespace Draas.Tests.Notifications;

/// <summary>What a receiver checks on a call from the service: our key signed this body at this time.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef-secret";
    private const string Body = """{"event":"run.succeeded"}""";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-04T21:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void The_signature_is_HMAC_SHA256_of_timestamp_dot_body_as_any_receiver_computes_it()
    {
        var ts = Now.ToUnixTimeSeconds();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{ts}.{Body}")));
        Assert.That(WebhookSignature.Sign(Secret, ts, Body), Is.EqualTo(expected));
    }

    [Test]
    public void A_receiver_accepts_a_fresh_call_and_rejects_a_changed_body_another_key_or_a_replay()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/hook");
        WebhookSignature.Apply(request, Secret, Now, Body);
        var ts = request.Headers.GetValues(WebhookSignature.TimestampHeader).Single();
        var sig = request.Headers.GetValues(WebhookSignature.SignatureHeader).Single();
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.That(WebhookSignature.Verify(Secret, ts, sig, Body, Now.AddSeconds(30), tolerance), Is.True);
        Assert.That(WebhookSignature.Verify(Secret, ts, sig, Body.Replace("succeeded", "failed"), Now, tolerance), Is.False, "a changed body");
        Assert.That(WebhookSignature.Verify("another-key-entirely!", ts, sig, Body, Now, tolerance), Is.False, "another key");
        Assert.That(WebhookSignature.Verify(Secret, ts, sig, Body, Now.AddMinutes(10), tolerance), Is.False, "a replay ten minutes later");
        Assert.That(WebhookSignature.Verify(Secret, (long.Parse(ts, System.Globalization.CultureInfo.InvariantCulture) + 60).ToString(System.Globalization.CultureInfo.InvariantCulture), sig, Body, Now, tolerance), Is.False, "a moved timestamp");
    }
}
