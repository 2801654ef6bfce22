using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Draas.Api.Jobs;
using Draas.Tests.Security;
using Draas.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Api;

/// <summary>
/// Hundreds of generated malformed and malicious requests, over every endpoint and verb, against a tenant
/// with real history (sites, arrays, a protection, a plan, a manifest, a finished drill): each gets the
/// 4xx it deserves with an OpenStack fault, and the database is the same afterwards, row for row.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HostileRequestTests
{
    private const int Seed = 20261123;
    private LabWithHistory _lab = null!;
    private HttpClient _http = null!;
    private readonly LogCapture _log = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        _lab = await LabWithHistory.StartAsync(configure: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_log));
        // The job servers write on their own (replication checks, protection cycles, schedules): with them
        // stopped, any difference in the database can only come from the requests.
        await _lab.Service.Services.GetRequiredService<JobServers>().StopAsync(CancellationToken.None);
        // Headers go out as UTF-8, as curl sends them: .NET's client refuses a token that is not ASCII itself.
        _http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = _lab.Service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http?.Dispose();
        if (_lab is not null) await _lab.DisposeAsync();
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Hundreds_of_hostile_requests_over_every_endpoint_get_a_4xx_fault_and_change_nothing()
    {
        var maxBody = _lab.Service.Services.GetRequiredService<ApiOptions>().MaxBodyBytes;
        var requests = HostileRequests.Generate(Seed, new HostileTargets(_lab.SiteA, _lab.SiteB, _lab.ArrayA, _lab.Protection, _lab.Plan, _lab.Drill,
            _lab.Manifest, _lab.Tenant.Volumes["shared-extra"]), maxBody);
        var before = await DatabaseDump.TakeAsync(_lab.Service.Database.ConnectionString);

        var failures = new List<string>();
        var answers = new List<(HostileRequest Request, int Status)>();
        var started = DateTime.UtcNow;
        foreach (var r in requests)
        {
            var (status, problem) = await SendAsync(r);
            answers.Add((r, status));
            if (problem is not null) failures.Add($"{r.Method} {Shorten(r.Path)} [{r.Name}]: {problem}");
        }
        var elapsed = DateTime.UtcNow - started;
        var after = await DatabaseDump.TakeAsync(_lab.Service.Database.ConnectionString);
        var changed = DatabaseDump.Differences(before, after);

        TestContext.Out.WriteLine($"seed {Seed}: {requests.Count} hostile requests in {elapsed.TotalSeconds:F1} s, {answers.Select(a => a.Request.Endpoint).Distinct().Count()} endpoints");
        TestContext.Out.WriteLine("by status: " + string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        TestContext.Out.WriteLine("by endpoint:");
        foreach (var g in answers.GroupBy(a => a.Request.Endpoint).OrderBy(g => g.Key, StringComparer.Ordinal))
            TestContext.Out.WriteLine($"  {g.Key,-45} {g.Count(),4}  ({string.Join(", ", g.GroupBy(a => a.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Count()}"))})");
        foreach (var failure in failures) TestContext.Out.WriteLine("FAILED " + failure);
        // What the service logged about its 5xx answers says where the fault is.
        if (answers.Any(a => a.Status >= 500))
            TestContext.Out.WriteLine(string.Join('\n', _log.Text.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith(" ---> ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal)).Take(40)));
        TestContext.Out.WriteLine($"5xx answers: {answers.Count(a => a.Status >= 500)}; database: {before.Count} tables, {DatabaseDump.Bytes(before)} bytes dumped before and after, {changed.Count} tables changed");

        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.GreaterThanOrEqualTo(200));
            Assert.That(UncoveredRoutes(requests), Is.Empty, "routes without a hostile request");
            Assert.That(answers.Where(a => a.Status >= 500).Select(a => $"{a.Request.Method} {Shorten(a.Request.Path)} [{a.Request.Name}]: {a.Status}"), Is.Empty, "5xx answers");
            Assert.That(failures, Is.Empty, "requests not refused as expected");
            Assert.That(changed, Is.Empty, "tables changed by refused requests");
        });
    }

    /// <summary>Sends one request as written (raw bytes, any content type or none) and says what is wrong with the answer.</summary>
    private async Task<(int Status, string? Problem)> SendAsync(HostileRequest r)
    {
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
        if (r.Token is not null) request.Headers.TryAddWithoutValidation("X-Auth-Token", r.Token);
        if (r.Body is not null)
        {
            request.Content = new ByteArrayContent(r.Body as byte[] ?? Encoding.UTF8.GetBytes((string)r.Body));
            request.Content.Headers.ContentType = r.ContentType is null ? null : MediaTypeHeaderValue.Parse(r.ContentType);
            // As curl does with a large upload: wait for the server's verdict before sending the body.
            if (request.Content.Headers.ContentLength > 1024 * 1024) request.Headers.ExpectContinue = true;
        }
        using var response = await _http.SendAsync(request);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status != r.Expected) return (status, $"expected {r.Expected}, got {status}: {Shorten(text)}");
        if (r.Method == "HEAD") return (status, null); // a HEAD answer has no body to check
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return (status, $"fault is {response.Content.Headers.ContentType}, not JSON: {Shorten(text)}");
        JsonObject? fault;
        try
        {
            fault = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            fault = null;
        }
        var inner = fault is { Count: 1 } ? fault[Faults.NameFor(status)] : null;
        if (inner?["code"]?.GetValue<int>() != status || string.IsNullOrEmpty(inner["message"]?.GetValue<string>()))
            return (status, $"not an OpenStack fault {{\"{Faults.NameFor(status)}\": {{\"code\": {status}, \"message\": ...}}}}: {Shorten(text)}");
        return (status, null);
    }

    /// <summary>Every method and route of /v1 the service maps, with no generated request aimed at it.</summary>
    private IEnumerable<string> UncoveredRoutes(IReadOnlyList<HostileRequest> requests)
    {
        static string Shape(string route) => Regex.Replace(route.TrimEnd('/'), "\\{[^}]*\\}", "{}");
        var covered = requests.Select(r => Shape(r.Endpoint)).ToHashSet();
        return _lab.Service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Shape(e.RoutePattern.RawText!)}"))
            .Where(route => !covered.Contains(route))
            .Order(StringComparer.Ordinal);
    }

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + $"... ({text.Length} chars)" : text;
}
