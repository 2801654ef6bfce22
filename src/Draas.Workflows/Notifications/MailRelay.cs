using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Draas.Workflows.Notifications;

/// <summary>Sends one notification e-mail through the operator's SMTP relay ([notifications]), one connection per message.</summary>
public sealed class MailRelay(NotificationsOptions options)
{
    private readonly Lazy<X509Certificate2Collection?> _trusted = new(() => RelayTrust.Load(options.CaFile));

    public async Task SendAsync(string to, string subject, string text, string eventKey, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        // Receivers (and mail filters) can tell one event from another, and a resent one from a new one.
        message.Headers.Add("X-Draas-Event-Id", eventKey);
        message.Body = new TextPart("plain") { Text = text };
        using var smtp = new SmtpClient { Timeout = 15_000 };
        if (_trusted.Value is { } trusted) smtp.ServerCertificateValidationCallback = (_, certificate, _, errors) => RelayTrust.Accepts(certificate, errors, trusted);
        await smtp.ConnectAsync(options.Host ?? throw new InvalidOperationException("[notifications] host is unset"), options.Port, options.Starttls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (options.User is { } user) await smtp.AuthenticateAsync(user, options.Password ?? "", ct);
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }
}
