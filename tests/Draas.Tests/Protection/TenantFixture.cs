using System.Text.Json.Nodes;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>Two registered sites, two arrays, and tokens for an admin and for members and a reader of two tenants.</summary>
public sealed class TenantFixture
{
    public const string Admin = KeystoneStandIn.AdminToken;
    public const string MemberA = "gAAAAAmember-of-a";
    public const string ReaderA = "gAAAAAreader-of-a";
    public const string MemberB = "gAAAAAmember-of-b";
    public const string ProjectA = "aaaaaaaa1111project";
    public const string ProjectB = "bbbbbbbb2222project";

    public required RunningService Service { get; init; }
    public required string SiteA { get; init; }
    public required string SiteB { get; init; }

    public static async Task<TenantFixture> StartAsync()
    {
        var service = await RunningService.StartAsync();
        service.Keystone.AddToken(MemberA, "user-alice", "alice", ProjectA, ["member", "reader"]);
        service.Keystone.AddToken(ReaderA, "user-rita", "rita", ProjectA, ["reader"]);
        service.Keystone.AddToken(MemberB, "user-bob", "bob", ProjectB, ["member", "reader"]);
        async Task<string> Site(string name) =>
            (await service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, Api.SitesApiTests.SiteBody(name))).Body!["site"]!["id"]!.GetValue<string>();
        return new TenantFixture { Service = service, SiteA = await Site("site-a"), SiteB = await Site("site-b") };
    }

    public async Task<JsonNode> CreateAsync(string path, string token, object body, int expected = 201)
    {
        var (status, json, _) = await Service.SendAsync(HttpMethod.Post, path, token, body);
        Assert.That(status, Is.EqualTo(expected), json?.ToJsonString());
        return json!;
    }

    public object Enrolment(string name, string project) => new
    {
        protection = new
        {
            name,
            primary_site_id = SiteA,
            primary_project_id = project,
            recovery_site_id = SiteB,
            rpo_target_seconds = 900,
            drill_schedule = "0 3 * * 6",
            network_mapping = new Dictionary<string, string> { ["net-private-a"] = "net-private-b" },
            contacts = new[] { "oncall@tenant.example" },
        },
    };

    public static object PlanBody(string protectionId, string name) => new
    {
        plan = new
        {
            protection_id = protectionId,
            name,
            replication = new { mode = "async", interval_seconds = 300, retention = 12 },
            resources = new object[]
            {
                new { kind = "server", id = "srv-web", priority_group = 2 },
                new { kind = "server", id = "srv-db", priority_group = 1 },
                new { kind = "volume", id = "vol-extra" },
            },
            health_checks = new[] { new { server = "srv-web", type = "http", port = 80, path = "/" } },
        },
    };
}
