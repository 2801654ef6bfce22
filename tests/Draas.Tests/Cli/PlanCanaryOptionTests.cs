using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Draas.Tests.Cli;

/// <summary>An operator names the workload's data canary in the short form people type
/// (<c>web:8080/health/canary</c>); draasctl sends the plan's canary object, and <c>none</c> takes it away.</summary>
[TestFixture]
public sealed class PlanCanaryOptionTests
{
    private const string PlanId = "5a0c8a7e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";
    private WireMockServer _api = null!;

    [SetUp]
    public void Start()
    {
        _api = WireMockServer.Start();
        var plan = new JsonObject { ["id"] = PlanId, ["name"] = "shop" };
        _api.Given(Request.Create().WithPath("/v1/plans").UsingGet())
            .RespondWith(Json(200, new JsonObject { ["plans"] = new JsonArray(plan.DeepClone()), ["plans_links"] = new JsonArray() }));
        _api.Given(Request.Create().WithPath($"/v1/plans/{PlanId}").UsingAnyMethod())
            .RespondWith(Json(200, new JsonObject { ["plan"] = plan.DeepClone() }));
    }

    [TearDown]
    public void Stop() => _api.Stop();

    private static IResponseBuilder Json(int status, JsonNode body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());

    private Draasctl Shell() => new Draasctl().With("OS_TOKEN", "gAAAAAcontract").With("DRAAS_ENDPOINT", _api.Urls[0]);

    private JsonNode? SentCanary() => JsonNode.Parse(_api.LogEntries.Last(e => e.RequestMessage.Method == "PUT").RequestMessage.Body!)!["plan"]!["canary"];

    [TestCase("web:8080/health/canary", """{"server":"web","port":8080,"path":"/health/canary"}""")]
    [TestCase("web", """{"server":"web"}""")]
    [TestCase("db/canary", """{"server":"db","path":"/canary"}""")]
    [TestCase("none", "{}")]
    public async Task Plan_set_sends_the_canary_it_was_given(string given, string sent)
    {
        var result = await Shell().RunAsync("plan", "set", "shop", "--canary", given);
        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        Assert.That(SentCanary()!.ToJsonString(), Is.EqualTo(sent));
    }

    [Test]
    public async Task A_canary_port_that_is_not_a_number_is_a_usage_error_and_nothing_is_sent()
    {
        var result = await Shell().RunAsync("plan", "set", "shop", "--canary", "web:http/canary");
        Assert.That(result.Exit, Is.EqualTo(2), result.ToString());
        Assert.That(result.Err, Does.Contain("'http' is not a port"));
        Assert.That(_api.LogEntries.Any(e => e.RequestMessage.Method == "PUT"), Is.False);
    }
}
