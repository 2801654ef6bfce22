using System.Net.Sockets;
using System.Text;
using Draas.Tests.Support;

namespace Draas.Tests.Api;

/// <summary>
/// Requests broken below JSON, sent as raw bytes because no HTTP client would write them: NUL, control
/// characters and bad escapes in the path, a negative Content-Length, a request line too long (414), headers
/// too large (431). Each gets a 4xx (or, from Kestrel, a closed connection). Those the service sees (they carry its X-Openstack-Request-Id) get the OpenStack fault body; Kestrel
/// answers the rest itself before any middleware runs, with an empty body, which ASP.NET offers no hook to
/// change (docs/input-rules.md).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MalformedHttpTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await RunningService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static readonly (string Name, string Request, bool ServiceAnswers)[] Cases =
    [
        ("an encoded escape character in the path", "GET /v1/sites/a%1Bb HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Auth-Token: gAAAAAadmin-token\r\n\r\n", true),
        ("an encoded newline in the path", "GET /v1/runs/a%0Ab HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Auth-Token: gAAAAAadmin-token\r\n\r\n", true),
        ("a bad escape in the path", "GET /v1/sites/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Auth-Token: gAAAAAadmin-token\r\n\r\n", true),
        ("an encoded NUL in the path", "GET /v1/sites/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Auth-Token: gAAAAAadmin-token\r\n\r\n", false),
        ("a raw NUL in the path", "GET /v1/sites/\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("a negative Content-Length", "POST /v1/sites HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}", false),
        ("a request line of 20 KB (414)", $"GET /v1/sites?name={new string('a', 20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("headers of 40 KB (431)", $"GET /v1/sites HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Padding: {new string('a', 40_000)}\r\n\r\n", false),
    ];

    [Test]
    public async Task Each_gets_a_4xx_and_every_answer_the_service_writes_is_an_OpenStack_fault()
    {
        var problems = new List<string>();
        foreach (var (name, request, serviceAnswers) in Cases)
        {
            var (status, headers, body) = await SendRawAsync(request);
            var seenByService = headers.Contains("X-Openstack-Request-Id", StringComparison.OrdinalIgnoreCase);
            TestContext.Out.WriteLine($"{name}: {status}, {(seenByService ? "answered by the service" : "answered by Kestrel")}, body {Shorten(body)}");
            // Kestrel closes the connection after its own answer and may reset it before a large request is read
            // to the end, so the answer can be lost (status 0); the service's answers always arrive.
            if (status is (< 400 or >= 500) && !(status == 0 && !serviceAnswers)) problems.Add($"{name}: status {status}");
            if (seenByService != serviceAnswers) problems.Add($"{name}: expected to be answered by {(serviceAnswers ? "the service" : "Kestrel")}");
            if (seenByService && !body.Contains($"\"code\":{status}", StringComparison.Ordinal)) problems.Add($"{name}: no OpenStack fault body: {Shorten(body)}");
        }
        Assert.That(problems, Is.Empty);
    }

    private async Task<(int Status, string Headers, string Body)> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_service.BaseAddress.Host, _service.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        await stream.FlushAsync();
        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await stream.CopyToAsync(reader, timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Kestrel may reset the connection after its answer; what arrived is enough.
        }
        var text = Encoding.UTF8.GetString(reader.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split >= 0 ? text[..split] : text;
        var status = int.TryParse(head.Split(' ', 3).ElementAtOrDefault(1), out var s) ? s : 0;
        return (status, head, split >= 0 ? text[(split + 4)..] : "");
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "..." : text.Length == 0 ? "(empty)" : text;
}
