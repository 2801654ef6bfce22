using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Http;
using Draas.Simulators.FlashArray.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Draas.Simulators.FlashArray;

/// <summary>
/// FlashArray REST 2.x for several arrays on one loopback port, each under <c>/arrays/{name}</c>, plus a
/// simulator-only admin API under <c>/sim</c> (clock, faults, volume write logs). Start it in-process
/// with <see cref="StartAsync"/> or from the command line with <c>draas-sim flasharray</c>.
/// </summary>
public sealed class FlashArraySimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimWorld _world;
    private readonly ReplicationEngine _engine;
    private readonly HttpClient _adminHttp;
    private readonly X509Certificate2? _certificate;
    private readonly ArrayTraffic _traffic;

    private FlashArraySimulator(WebApplication app, SimWorld world, Uri baseUrl, X509Certificate2? certificate)
    {
        _certificate = certificate;
        _app = app;
        _world = world;
        _engine = new ReplicationEngine(world);
        _traffic = new ArrayTraffic(world.Options);
        BaseUrl = baseUrl;
        // The admin client trusts exactly the simulator's own certificate.
        var handler = new HttpClientHandler();
        if (certificate is not null) handler.ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == certificate.Thumbprint;
        _adminHttp = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new FlashArraySimulatorAdmin(_adminHttp);
    }

    /// <summary><c>http://127.0.0.1:{port}/</c></summary>
    public Uri BaseUrl { get; }
    /// <summary>The simulated clock: hand it to the code under test as its TimeProvider.</summary>
    public SimClock Clock => _world.Clock;
    /// <summary>The admin API over HTTP: writes, clock, faults.</summary>
    public FlashArraySimulatorAdmin Admin { get; }
    public FlashArraySimulatorOptions Options => _world.Options;

    /// <summary>The in-process model and its engine, for code in this assembly that must share the arrays'
    /// truth without HTTP (the DR lab's Cinder backends). Lock <see cref="SimWorld.Gate"/> and call
    /// <see cref="ReplicationEngine.CatchUp"/> first, as the HTTP handlers do.</summary>
    internal SimWorld World => _world;
    internal ReplicationEngine Engine => _engine;

    /// <summary>With <see cref="FlashArraySimulatorOptions.Tls"/>: the certificate as PEM, to use as a CA bundle.</summary>
    public string? CertificatePem => _certificate?.ExportCertificatePem();

    /// <summary>The management URL of one array.</summary>
    public Uri ArrayUrl(string array) => new(BaseUrl, $"arrays/{array}");

    public string ApiToken(string array) => Options.Arrays.Single(a => a.Name == array).ApiToken;

    /// <summary>Every REST request that reached one array (<c>/arrays/{name}/api/...</c>), those answered with
    /// an injected fault or dropped because the array is down included: the load a client put on it.</summary>
    public long Requests(string arrayName) => _traffic.Requests(arrayName);

    public static async Task<FlashArraySimulator> StartAsync(FlashArraySimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FlashArraySimulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = options.Tls ? SelfSignedCertificate.Create() : null;
        if (certificate is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var world = new SimWorld(options, new SimClock(options.StartNow ? DateTimeOffset.UtcNow : options.Start, options.Acceleration));
        FlashArraySimulator? sim = null;
        app.Run(http => sim!.HandleAsync(http));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        sim = new FlashArraySimulator(app, world, url, certificate);
        return sim;
    }

    /// <summary><c>draas-sim flasharray [--port N] [--acceleration X] [--tls]</c>: serves until stopped.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var port = 8780;
        var acceleration = 1.0;
        var tls = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length: port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--acceleration" when i + 1 < args.Length: acceleration = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tls": tls = true; break;
                default: Console.Error.WriteLine($"draas-sim flasharray: unknown option {args[i]}"); return 2;
            }
        }
        await using var sim = await StartAsync(new FlashArraySimulatorOptions { Port = port, Acceleration = acceleration, Tls = tls }).ConfigureAwait(false);
        if (sim.CertificatePem is { } pem) Console.WriteLine($"certificate (use as the CA bundle):{Environment.NewLine}{pem}");
        foreach (var a in sim.Options.Arrays) Console.WriteLine($"{a.Name}: {sim.ArrayUrl(a.Name)}");
        Console.WriteLine($"admin: {sim.BaseUrl}sim/");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        await stop.Task.ConfigureAwait(false);
        return 0;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var segments = (http.Request.Path.Value ?? "").Trim('/').Split('/');
        if (segments[0] == "sim")
        {
            await AdminRoutes.HandleAsync(_world, _engine, http, segments[1..]).ConfigureAwait(false);
            return;
        }
        if (segments.Length < 4 || segments[0] != "arrays" || segments[2] != "api")
        {
            await WriteAsync(http, 404, Errors("Not found.", null)).ConfigureAwait(false);
            return;
        }

        SimArray? array;
        bool fail;
        lock (_world.Gate)
        {
            array = _world.Arrays.GetValueOrDefault(segments[1]);
            fail = array is not null && array.ErrorRate > 0 && _world.Random.NextDouble() < array.ErrorRate;
            if (fail) array!.InjectedFaults++;
        }
        if (array is null)
        {
            await WriteAsync(http, 404, Errors("No such array.", segments[1])).ConfigureAwait(false);
            return;
        }
        _traffic.Count(array.Name);
        if (array.Down)
        {
            // An array that is down does not answer at all.
            http.Abort();
            return;
        }
        if (array.LatencyMs > 0) await Task.Delay(array.LatencyMs, http.RequestAborted).ConfigureAwait(false);
        http.Response.Headers["X-Request-ID"] = http.Request.Headers["X-Request-ID"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        if (fail)
        {
            await WriteAsync(http, 503, Errors("Service unavailable (injected fault).", null)).ConfigureAwait(false);
            return;
        }
        if (segments[3] == "api_version")
        {
            var versions = Enumerable.Range(0, 20).Select(m => $"1.{m}")
                .Concat(Enumerable.Range(0, _world.Options.MaxMinorVersion + 1).Select(m => $"2.{m}"));
            await WriteAsync(http, 200, new { Version = versions }).ConfigureAwait(false);
            return;
        }
        if (!Version.TryParse(segments[3], out var v) || v.Major != 2 || v.Minor > _world.Options.MaxMinorVersion)
        {
            await WriteAsync(http, 404, Errors($"REST version {segments[3]} is not supported.", null)).ConfigureAwait(false);
            return;
        }

        var resource = string.Join('/', segments[4..]);
        if (resource == "login" && http.Request.Method == "POST")
        {
            if (http.Request.Headers["api-token"].FirstOrDefault() != array.ApiToken)
            {
                await WriteAsync(http, 401, Errors("Invalid credentials.", null)).ConfigureAwait(false);
                return;
            }
            var session = Guid.NewGuid().ToString();
            lock (_world.Gate) array.Sessions.Add(session);
            http.Response.Headers["x-auth-token"] = session;
            await WriteAsync(http, 200, new { Items = new[] { new { Username = "pureuser" } } }).ConfigureAwait(false);
            return;
        }
        var token = http.Request.Headers["x-auth-token"].FirstOrDefault();
        bool authenticated;
        lock (_world.Gate) authenticated = token is not null && array.Sessions.Contains(token);
        if (!authenticated)
        {
            await WriteAsync(http, 401, Errors("Authentication required: log in for a session token.", null)).ConfigureAwait(false);
            return;
        }
        if (resource == "logout")
        {
            lock (_world.Gate) array.Sessions.Remove(token!);
            await WriteAsync(http, 200, null).ConfigureAwait(false);
            return;
        }

        JsonNode? body;
        try { body = await SimJson.ReadBodyAsync(http.Request).ConfigureAwait(false); }
        catch (JsonException) { await WriteAsync(http, 400, Errors("Malformed JSON body.", null)).ConfigureAwait(false); return; }

        var req = new Req(http.Request.Method, resource, http.Request.Query, body);
        if ((_world.Options.CopyDelay > TimeSpan.Zero || _world.Options.MaxConcurrentCopies > 0)
            && req.Method == "POST" && resource == "volumes" && body?["source"] is not null)
            await _traffic.CopyAsync(array.Name, http.RequestAborted).ConfigureAwait(false);
        Reply? reply;
        try
        {
            lock (_world.Gate)
            {
                _engine.CatchUp();
                var ctx = new Ctx(_world, _engine, array);
                reply = VolumeRoutes.Handle(ctx, req) ?? ProtectionGroupRoutes.Handle(ctx, req)
                    ?? PodRoutes.Handle(ctx, req) ?? ArrayRoutes.Handle(ctx, req);
            }
        }
        catch (SimError e)
        {
            reply = new Reply(e.Status, Errors(e.Message, e.Context));
        }
        catch (InvalidOperationException e)
        {
            // A body field of the wrong JSON type.
            reply = new Reply(400, Errors($"Invalid request: {e.Message}", null));
        }
        reply ??= new Reply(404, Errors($"{req.Method} /{resource} is not implemented by the simulator.", null));
        if (reply.Body is ListQuery.ListPage { ContinuationToken: { } next }) http.Response.Headers["x-next-token"] = next;
        await WriteAsync(http, reply.Status, reply.Body).ConfigureAwait(false);
    }

    internal static object Errors(string message, string? context) =>
        new { Errors = new[] { new { Context = context, Message = message } } };

    internal static async Task WriteAsync(HttpContext http, int status, object? body)
    {
        http.Response.StatusCode = status;
        if (body is null) return;
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, body, body.GetType(), SimJson.Options).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _adminHttp.Dispose();
        _certificate?.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
