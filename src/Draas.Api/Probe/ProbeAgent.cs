using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Draas.Api.Probe;

/// <summary>How <c>draas probe-agent</c> runs: where it listens, the secret callers must send, and the address
/// its probes leave from (so a site's security groups can allow exactly the agent).</summary>
public sealed record ProbeAgentOptions
{
    public string ListenHost { get; init; } = "127.0.0.1";
    public int ListenPort { get; init; } = 8780;
    public required string Secret { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The product's probe agent: a small HTTP service an operator runs inside each site's network (the site's
/// <c>probe_url</c> points at it). <c>GET /probe?type=tcp|http&amp;address=IP&amp;port=N&amp;path=/&amp;expect_status=200</c>
/// with header <c>X-Probe-Secret</c> opens a real TCP connection to the address, and for <c>http</c> sends a real
/// GET and compares the status: 200 <c>{"healthy": true}</c>, or 503 <c>{"healthy": false, "error": ...}</c>
/// saying what failed. Addresses must be IP literals: the agent resolves no names for its callers.
/// </summary>
public static class ProbeAgent
{
    public const string SecretHeader = "X-Probe-Secret";

    public static WebApplication Build(ProbeAgentOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{options.ListenHost}:{options.ListenPort}");
        var app = builder.Build();
        var secret = SHA256.HashData(Encoding.UTF8.GetBytes(options.Secret));
        app.MapGet("/", () => Results.Json(new { service = "draas-probe-agent" }));
        bool Trusted(HttpContext http) =>
            CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers[SecretHeader].ToString())), secret);
        app.MapGet("/probe", async (HttpContext http, string? type, string? address, int? port, string? path, int? expect_status, CancellationToken ct) =>
        {
            if (!Trusted(http)) return Unauthorized();
            type ??= "tcp";
            path ??= "/";
            var expect = expect_status ?? 200;
            if (type is not ("tcp" or "http") || !IPAddress.TryParse(address, out var ip) || port is null or < 1 or > 65535
                || !path.StartsWith('/') || path.Any(char.IsControl) || expect is < 100 or > 599)
                return Results.Json(new { error = "type (tcp or http), address (an IP), port (1-65535), path (/...) and expect_status (100-599) are required" }, statusCode: 400);
            var clock = Stopwatch.StartNew();
            var error = await ProbeAsync(type, ip, port.Value, path, expect, options.SourceAddress, options.Timeout, ct);
            var elapsed = clock.ElapsedMilliseconds;
            return error is null
                ? Results.Json(new { healthy = true, type, address, port, elapsed_ms = elapsed })
                : Results.Json(new { healthy = false, type, address, port, elapsed_ms = elapsed, error }, statusCode: 503);
        });
        CanaryRelay.Map(app, Trusted, options);
        return app;
    }

    internal static IResult Unauthorized() => Results.Json(new { error = $"a valid {SecretHeader} header is required" }, statusCode: 401);

    /// <summary>An HTTP client whose every connection goes to <paramref name="address"/>:<paramref name="port"/> from the
    /// agent's source address (so the site's security groups see the agent, not whatever route the host picks).</summary>
    internal static HttpClient GuestClient(IPAddress address, int port, IPAddress? source) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) => new NetworkStream(await ConnectAsync(new IPEndPoint(address, port), source, token), ownsSocket: true),
            PooledConnectionLifetime = TimeSpan.Zero,
        }, disposeHandler: true)
        { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    internal static string Url(IPAddress address, int port, string path) =>
        $"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}{path}";

    /// <summary>Null when the target answered as expected, else what went wrong.</summary>
    public static async Task<string?> ProbeAsync(string type, IPAddress address, int port, string path, int expect, IPAddress? source, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            if (type == "tcp")
            {
                using var socket = await ConnectAsync(new IPEndPoint(address, port), source, limit.Token);
                return null;
            }
            using var client = GuestClient(address, port, source);
            using var answer = await client.GetAsync(Url(address, port, path), limit.Token);
            return (int)answer.StatusCode == expect ? null : $"HTTP {(int)answer.StatusCode}, expected {expect}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer from {address}:{port} within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or IOException)
        {
            return $"{address}:{port}: {e.Message}";
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint target, IPAddress? source, CancellationToken ct)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary><c>draas probe-agent [--listen HOST:PORT] [--secret-file FILE] [--source IP]</c>; the secret may also
    /// come from <c>DRAAS_PROBE_SECRET</c>. Runs until SIGTERM.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? listen = null, secretFile = null, source = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--listen" when i + 1 < args.Count: listen = args[++i]; break;
                case "--secret-file" when i + 1 < args.Count: secretFile = args[++i]; break;
                case "--source" when i + 1 < args.Count: source = args[++i]; break;
                default:
                    Console.Error.WriteLine($"draas probe-agent: unknown argument '{args[i]}' (usage: draas probe-agent [--listen HOST:PORT] [--secret-file FILE] [--source IP])");
                    return 2;
            }
        }
        var secret = secretFile is not null ? (File.Exists(secretFile) ? File.ReadAllText(secretFile).Trim() : null) : Environment.GetEnvironmentVariable("DRAAS_PROBE_SECRET");
        if (string.IsNullOrEmpty(secret))
        {
            Console.Error.WriteLine("draas probe-agent: a shared secret is required (--secret-file FILE or DRAAS_PROBE_SECRET)");
            return 2;
        }
        var host = "127.0.0.1";
        var port = 8780;
        if (listen is not null)
        {
            var colon = listen.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(listen[(colon + 1)..], out port) || port is < 1 or > 65535)
            {
                Console.Error.WriteLine($"draas probe-agent: --listen wants HOST:PORT, got '{listen}'");
                return 2;
            }
            host = listen[..colon];
        }
        IPAddress? from = null;
        if (source is not null && !IPAddress.TryParse(source, out from))
        {
            Console.Error.WriteLine($"draas probe-agent: --source wants an IP address, got '{source}'");
            return 2;
        }
        await using var app = Build(new ProbeAgentOptions { ListenHost = host, ListenPort = port, Secret = secret, SourceAddress = from });
        await app.RunAsync();
        return 0;
    }
}
