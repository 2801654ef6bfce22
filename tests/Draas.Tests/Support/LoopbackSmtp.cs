using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Draas.Tests.Support;

/// <summary>A real SMTP server on 127.0.0.1 (the SmtpServer package) that keeps every message it is given:
/// what the service's SMTP relay would receive. Stopped with the test.</summary>
public sealed class LoopbackSmtp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>How each kept message arrived: over TLS (after STARTTLS) or not, and as which user.</summary>
    public ConcurrentQueue<(bool Secure, string? User)> Sessions { get; } = new();

    /// <summary>Failed logins, as the relay saw them.</summary>
    public int RefusedLogins => _refused;

    private int _refused;

    private LoopbackSmtp(int port, X509Certificate2? certificate, (string User, string Password)? login)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, port));
                // With a certificate the relay offers STARTTLS and takes a password only over it, as a real relay does.
                if (certificate is not null) e.Certificate(certificate).AllowUnsecureAuthentication(false);
                if (login is not null) e.AuthenticationRequired();
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages, Sessions));
        if (login is { } l)
            services.Add(new SmtpServer.Authentication.DelegatingUserAuthenticator((user, password) =>
            {
                var ok = user == l.User && password == l.Password;
                if (!ok) Interlocked.Increment(ref _refused);
                return ok;
            }));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>A relay on a free port: plain SMTP, or with <paramref name="certificate"/> STARTTLS, and with <paramref name="login"/> a required login.</summary>
    public static LoopbackSmtp Start(X509Certificate2? certificate = null, (string User, string Password)? login = null)
    {
        // A free port, taken by the server at once.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackSmtp(port, certificate, login);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages, ConcurrentQueue<(bool, string?)> sessions) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            sessions.Enqueue((context.Pipe.IsSecure, context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
