using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Draas.Tests.Support;
using Draas.Workflows.Notifications;

namespace Draas.Tests.Notifications;

/// <summary>
/// The operator's SMTP relay requires STARTTLS and a login, and its certificate comes from the company's own CA:
/// the service mails over TLS as the configured user once told of that CA (<c>[notifications] ca_file</c>), and
/// sends nothing when the certificate cannot be trusted (no CA given, or a certificate for another name) or the
/// password is wrong, saying why.
/// </summary>
[NonParallelizable]
public sealed class MailOverStarttlsTests
{
    private const string User = "draas-relay";
    private const string Password = "relay-secret-7f3e";
    private string _dir = null!;
    private string _caFile = null!;
    private X509Certificate2 _ca = null!;

    [OneTimeSetUp]
    public void MakeTheCompanyCa()
    {
        _dir = Directory.CreateTempSubdirectory("draas-smtp-ca-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Example Corp Mail CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _caFile = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(_caFile, _ca.ExportCertificatePem());
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Mail_goes_over_STARTTLS_as_the_configured_user_when_the_relay_certificate_is_from_the_operators_CA()
    {
        await using var relay = LoopbackSmtp.Start(RelayCertificate("127.0.0.1"), (User, Password));
        await SendAsync(relay, caFile: _caFile, password: Password);
        Assert.That(relay.Messages, Has.Count.EqualTo(1));
        Assert.That(relay.Sessions.Single(), Is.EqualTo((true, (string?)User)), "over TLS, logged in");
        Assert.That(relay.Messages.Single().Headers["X-Draas-Event-Id"], Is.EqualTo("run:test:run.started"));
    }

    [Test]
    public async Task Without_the_CA_the_relay_certificate_is_not_trusted_and_nothing_is_sent()
    {
        await using var relay = LoopbackSmtp.Start(RelayCertificate("127.0.0.1"), (User, Password));
        var refused = Assert.CatchAsync(async () => await SendAsync(relay, caFile: null, password: Password));
        Assert.That(refused, Is.InstanceOf<MailKit.Security.SslHandshakeException>(), refused?.ToString());
        Assert.That(relay.Messages, Is.Empty);
    }

    [Test]
    public async Task A_certificate_for_another_name_is_refused_even_from_the_operators_CA()
    {
        await using var relay = LoopbackSmtp.Start(RelayCertificate("mail.example.com"), (User, Password));
        var refused = Assert.CatchAsync(async () => await SendAsync(relay, caFile: _caFile, password: Password));
        Assert.That(refused, Is.InstanceOf<MailKit.Security.SslHandshakeException>(), refused?.ToString());
        Assert.That(relay.Messages, Is.Empty);
    }

    [Test]
    public async Task A_wrong_password_is_refused_by_the_relay_and_said_plainly()
    {
        await using var relay = LoopbackSmtp.Start(RelayCertificate("127.0.0.1"), (User, Password));
        var refused = Assert.CatchAsync(async () => await SendAsync(relay, caFile: _caFile, password: "not-the-password"));
        Assert.That(refused, Is.InstanceOf<MailKit.Security.AuthenticationException>(), refused?.ToString());
        Assert.That(relay.RefusedLogins, Is.GreaterThanOrEqualTo(1), "the relay was asked, and said no (once per mechanism tried)");
        Assert.That(refused!.Message, Does.Contain("535").Or.Contain("uthentication"), "the relay's answer, as the delivery log will show it");
        Assert.That(relay.Messages, Is.Empty);
    }

    [Test]
    public void A_ca_file_that_does_not_exist_is_a_configuration_error()
    {
        var options = new NotificationsOptions { Host = "127.0.0.1", CaFile = Path.Combine(_dir, "missing.pem") };
        Assert.That(options.Validate(), Has.Some.Contains("ca_file"));
    }

    private static Task SendAsync(LoopbackSmtp relay, string? caFile, string password) =>
        new MailRelay(new NotificationsOptions { Host = "127.0.0.1", Port = relay.Port, Starttls = true, User = User, Password = password, CaFile = caFile, From = "draas@dr.example" })
            .SendAsync("ops@shop.example", "[DRaaS] shop: drill started", "drill of shop started", "run:test:run.started", CancellationToken.None);

    /// <summary>The relay's certificate, issued by the company CA for <paramref name="name"/> (an IP address or a DNS name).</summary>
    private X509Certificate2 RelayCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        if (System.Net.IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
        else san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        // SslStream on Linux wants a key it can use from a persisted (PKCS#12) form, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
