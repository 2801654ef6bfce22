using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Draas.Tests.Runs;

/// <summary>
/// An operator's webhook receiver: a real HTTP listener on 127.0.0.1 that keeps every call it gets (path,
/// headers, body, when) and answers 200, or after <see cref="Delay"/> when a test makes it slow.
/// </summary>
public sealed class HookReceiver : IDisposable
{
    public sealed record Call(string Path, string? Timestamp, string? Signature, string? IdempotencyKey, string Body, DateTimeOffset At);

    private readonly HttpListener _listener = new();
    private readonly List<Call> _calls = [];
    private readonly Task _loop;

    public string Url { get; }

    /// <summary>How long the receiver takes to answer (a hung AWX job template).</summary>
    public TimeSpan Delay { get; set; }

    public HookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyList<Call> Calls
    {
        get
        {
            lock (_calls) return [.. _calls];
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                lock (_calls)
                    _calls.Add(new Call(context.Request.Url!.AbsolutePath, context.Request.Headers["X-Draas-Timestamp"], context.Request.Headers["X-Draas-Signature"],
                        context.Request.Headers["Idempotency-Key"], body, DateTimeOffset.UtcNow));
                if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
                try
                {
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception)
                {
                    // The caller gave up waiting (its timeout): nothing to answer.
                }
            });
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
    }
}
