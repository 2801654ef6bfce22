using System.Text.Json.Nodes;
using Draas.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Api;

/// <summary>
/// The API describes itself: the OpenAPI document is generated from the mapped endpoints, so a route added
/// tomorrow is in it without anyone remembering to write it down.
/// </summary>
[TestFixture]
public sealed class OpenApiDocumentTests
{
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await RunningService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    [Test]
    public async Task Every_v1_route_the_service_maps_is_in_its_OpenAPI_document_with_its_methods()
    {
        var (status, document, _) = await _service.SendAsync(HttpMethod.Get, "/v1/openapi.json", KeystoneStandIn.AdminToken);

        Assert.That(status, Is.EqualTo(200), document?.ToJsonString());
        Assert.That(document!["openapi"]!.GetValue<string>(), Does.StartWith("3."));
        Assert.That(document["info"]!["title"]!.GetValue<string>(), Is.EqualTo("DRaaS Service API"));
        var paths = document["paths"]!.AsObject();
        var mapped = _service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true && e.RoutePattern.RawText != "/v1/openapi.json")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: e.RoutePattern.RawText!.TrimEnd('/'), Method: m.ToLowerInvariant())))
            .Distinct()
            .ToList();

        Assert.That(mapped, Has.Count.GreaterThan(30), "the service maps its whole API");
        var missing = mapped.Where(r => paths[r.Path] is not JsonObject operations || operations[r.Method] is null).ToList();
        Assert.That(missing, Is.Empty, "routes the document leaves out");
        Assert.That(paths["/v1/runs/{id}/action"]!["post"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "Runs" }));
    }

    [TestCase("/v1/sites", "site", "auth_url", "password")]
    [TestCase("/v1/arrays", "array", "endpoint", "api_token")]
    [TestCase("/v1/protections", "protection", "primary_project_id", "webhook_secret")]
    [TestCase("/v1/plans", "plan", "protection_id", null)]
    [TestCase("/v1/project-mappings", "project_mapping", "recovery_project_id", null)]
    public async Task A_resource_says_what_it_takes_and_gives_in_the_APIs_own_names_and_its_secret_only_goes_in(string path, string name, string field, string? secret)
    {
        var document = (await _service.SendAsync(HttpMethod.Get, "/v1/openapi.json", KeystoneStandIn.AdminToken)).Body!;
        JsonObject Resolve(JsonNode? schema)
        {
            var o = schema!.AsObject();
            return o["$ref"] is { } r ? Resolve(document["components"]!["schemas"]![r.GetValue<string>().Split('/').Last()]) : o;
        }
        JsonObject Inner(JsonNode? envelope, string key) => Resolve(Resolve(envelope)["properties"]![key]);
        var paths = document["paths"]!;

        var create = paths[path]!["post"]!;
        var sent = Inner(create["requestBody"]!["content"]!["application/json"]!["schema"], name);
        var created = Inner(create["responses"]!["201"]!["content"]!["application/json"]!["schema"], name);
        var shown = Inner(paths[path + "/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"], name);
        var listed = Resolve(paths[path]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"])["properties"]!.AsObject();

        Assert.That(sent["properties"]!.AsObject().ContainsKey(field), Is.True, $"{name} is sent with {field}: {sent.ToJsonString()}");
        Assert.That(shown["properties"]!.AsObject().ContainsKey(field), Is.True, $"{name} is shown with {field}: {shown.ToJsonString()}");
        Assert.That(created["properties"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(shown["properties"]!.AsObject().Select(p => p.Key)), "a create answers with the resource as a read shows it");
        Assert.That(listed.Select(p => p.Key), Is.EquivalentTo(new[] { name + "s", name + "s_links" }), "a list is the resources and their page links");
        Assert.That(shown["properties"]!.AsObject().Select(p => p.Key), Has.All.Matches<string>(k => k == k.ToLowerInvariant() && !k.Contains('-')), "snake_case like every OpenStack API");
        if (secret is not null)
        {
            Assert.That(sent["properties"]!.AsObject().ContainsKey(secret), Is.True, $"{secret} can be sent");
            Assert.That(shown["properties"]!.AsObject().ContainsKey(secret), Is.False, $"{secret} is never shown");
        }
        if (paths[path + "/{id}"]!["put"] is { } update)
            Assert.That(Inner(update["requestBody"]!["content"]!["application/json"]!["schema"], name)["properties"]!.AsObject().ContainsKey(field), Is.True, "an update takes the same fields");
    }

    [Test]
    public async Task The_reference_in_docs_is_the_document_the_service_serves()
    {
        var served = (await _service.SendAsync(HttpMethod.Get, "/v1/openapi.json", KeystoneStandIn.AdminToken)).Body!.AsObject();
        served.Remove("servers"); // where this test's service happened to listen
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
        var file = RepoPaths.File("docs/openapi.json");
        if (Environment.GetEnvironmentVariable("DRAAS_WRITE_OPENAPI") == "1") await File.WriteAllTextAsync(file, text);

        Assert.That(File.Exists(file) ? await File.ReadAllTextAsync(file) : "", Is.EqualTo(text),
            "docs/openapi.json is stale: DRAAS_WRITE_OPENAPI=1 DRAAS_TEST_FILTER=FullyQualifiedName~OpenApiDocumentTests ./tox -e test rewrites it");
    }

    [Test]
    public async Task The_document_like_every_other_call_needs_a_token()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Get, "/v1/openapi.json", token: null);

        Assert.That(status, Is.EqualTo(401), body?.ToJsonString());
    }
}
