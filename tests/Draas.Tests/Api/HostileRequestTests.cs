using System.Text;
using Draas.Tests.Support;

namespace Draas.Tests.Api;

/// <summary>Malformed and hostile requests get a 4xx OpenStack fault and change nothing.</summary>
[TestFixture]
public sealed class HostileRequestTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private RunningService _service = null!;
    private string _siteId = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _service = await RunningService.StartAsync();
        _siteId = (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SitesApiTests.SiteBody("site-target"))).Body!["site"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    private static readonly string TenMegabytes = "{\"site\":{\"name\":\"big\",\"description\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}";

    public static IEnumerable<TestCaseData> Requests()
    {
        TestCaseData Case(string name, string method, string path, object? body, int expected, string contentType = "application/json") =>
            new TestCaseData(method, path, body, expected, contentType).SetName(name);

        yield return Case("broken JSON", "POST", "/v1/sites", "{\"site\": {\"name\": ", 400);
        yield return Case("not an object", "POST", "/v1/sites", "[1,2,3]", 400);
        yield return Case("empty body", "POST", "/v1/sites", "", 400);
        yield return Case("name as a number", "POST", "/v1/sites", "{\"site\":{\"name\":42,\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("verify_tls as a string", "POST", "/v1/sites", "{\"site\":{\"name\":\"n1\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\",\"verify_tls\":\"yes\"}}", 400);
        yield return Case("unknown top-level field", "POST", "/v1/sites", "{\"site\":{\"name\":\"n2\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"},\"admin\":true}", 400);
        yield return Case("unknown site field", "POST", "/v1/sites", "{\"site\":{\"name\":\"n3\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\",\"id\":\"00000000-0000-0000-0000-000000000001\"}}", 400);
        yield return Case("ten megabyte body", "POST", "/v1/sites", TenMegabytes, 413);
        yield return Case("SQL in the name", "POST", "/v1/sites", "{\"site\":{\"name\":\"x'; DROP TABLE sites; --\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("path traversal in the name", "POST", "/v1/sites", "{\"site\":{\"name\":\"../../etc/passwd\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("file URL as auth_url", "POST", "/v1/sites", "{\"site\":{\"name\":\"n4\",\"auth_url\":\"file:///etc/passwd\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("credentials inside auth_url", "POST", "/v1/sites", "{\"site\":{\"name\":\"n5\",\"auth_url\":\"https://admin:pw@k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("control characters in a field", "POST", "/v1/sites", "{\"site\":{\"name\":\"n6\",\"auth_url\":\"https://k/v3\",\"username\":\"u\\u0000\\n\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("duplicate keys", "POST", "/v1/sites", "{\"site\":{\"name\":\"n7\",\"name\":\"n8\",\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("deeply nested JSON", "POST", "/v1/sites", new string('[', 5000) + new string(']', 5000), 400);
        yield return Case("form data instead of JSON", "POST", "/v1/sites", "name=x&auth_url=y", 415, "application/x-www-form-urlencoded");
        yield return Case("SQL in the id", "GET", "/v1/sites/1%27%20OR%20%271%27=%271", null, 404);
        yield return Case("path traversal in the id", "GET", "/v1/sites/..%2F..%2Fetc%2Fpasswd", null, 404);
        yield return Case("negative limit", "GET", "/v1/sites?limit=-5", null, 400);
        yield return Case("marker that is not an id", "GET", "/v1/sites?marker=%27;DROP%20TABLE%20sites", null, 400);
        yield return Case("unknown action", "POST", "/v1/sites/{site}/action", "{\"format_disk\":{}}", 400);
        yield return Case("update with a wrong type", "PUT", "/v1/sites/{site}", "{\"site\":{\"description\":[\"a\"]}}", 400);
        yield return Case("update changing the auth type", "PUT", "/v1/sites/{site}", "{\"site\":{\"auth_type\":\"v3applicationcredential\"}}", 400);
        yield return Case("method not allowed", "PATCH", "/v1/sites", "{}", 405);
    }

    [TestCaseSource(nameof(Requests))]
    public async Task Is_refused_with_a_fault_and_changes_nothing(string method, string path, object? body, int expected, string contentType)
    {
        var sitesBefore = await _service.Database.ScalarAsync<long>("SELECT count(*) FROM sites");
        var auditBefore = await _service.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events");
        var siteBefore = await _service.Database.ScalarAsync<string>("SELECT row_to_json(s)::text FROM sites s WHERE id = $1", Guid.Parse(_siteId));

        var (status, json, response) = await _service.SendAsync(new HttpMethod(method), path.Replace("{site}", _siteId), Admin, body, contentType);

        Assert.That(status, Is.EqualTo(expected), json?.ToJsonString());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var fault = json!.AsObject().Single();
        Assert.That(fault.Value!["code"]!.GetValue<int>(), Is.EqualTo(expected));
        Assert.That(fault.Value["message"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(await _service.Database.ScalarAsync<long>("SELECT count(*) FROM sites"), Is.EqualTo(sitesBefore));
        Assert.That(await _service.Database.ScalarAsync<long>("SELECT count(*) FROM audit_events"), Is.EqualTo(auditBefore));
        Assert.That(await _service.Database.ScalarAsync<string>("SELECT row_to_json(s)::text FROM sites s WHERE id = $1", Guid.Parse(_siteId)), Is.EqualTo(siteBefore));
    }
}
