using System.Net;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Listing: marker/limit pagination with next links in each service's style, the filters a plan
/// selector uses, and microversion negotiation.</summary>
public sealed class ListingAndMicroversionTests : SimulatorTestBase
{
    private async Task<List<string>> CreateServersAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var body = new JsonObject { ["server"] = new JsonObject { ["name"] = $"vm-{i}", ["flavorRef"] = "1", ["imageRef"] = await CirrosAsync(), ["networks"] = "auto" } };
            ids.Add(Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, body))!["server"], "id"));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        return ids;
    }

    private async Task<string> CirrosAsync() =>
        Str((await Demo.GetAsync($"{Demo.Image}/images?name=cirros-0.6.2-x86_64-disk"))!["images"]![0], "id");

    [Test]
    public async Task ServersDetail_FollowingNextLinks_VisitsEveryServerOnceNewestFirst()
    {
        var created = await CreateServersAsync(5);
        var seen = new List<string>();
        var pages = 0;
        string? url = $"{Demo.Compute}/servers/detail?limit=2";

        while (url is not null)
        {
            var page = await Demo.GetAsync(url);
            pages++;
            seen.AddRange(page!["servers"]!.AsArray().Select(s => Str(s, "id")));
            url = page["servers_links"]?.AsArray().FirstOrDefault(l => Str(l, "rel") == "next") is { } next ? Str(next, "href") : null;
        }

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(created).ToList()));
    }

    [Test]
    public async Task VolumesDetail_APageOfExactlyLimit_LinksToAnEmptyLastPage()
    {
        await AvailableVolumeAsync(Demo, "v1");
        await AvailableVolumeAsync(Demo, "v2");

        var first = await Demo.GetAsync($"{Demo.Volume}/volumes/detail?limit=2");
        var next = Str(first!["volumes_links"]![0], "href");
        var last = await Demo.GetAsync(next);

        Assert.That(first["volumes"]!.AsArray(), Has.Count.EqualTo(2));
        Assert.That(next, Does.Contain("limit=2").And.Contain("marker="));
        Assert.That(last!["volumes"]!.AsArray(), Is.Empty);
        Assert.That(last["volumes_links"], Is.Null);
    }

    [Test]
    public async Task Images_PageWithGlancesRelativeNextLink()
    {
        for (var i = 0; i < 3; i++)
        {
            await Demo.CallAsync(HttpMethod.Post, $"{Demo.Image}/images", HttpStatusCode.Created,
                new JsonObject { ["name"] = $"img-{i}", ["disk_format"] = "raw", ["container_format"] = "bare" });
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await Demo.GetAsync($"{Demo.Image}/images?limit=2");
        var next = Str(first, "next");
        var second = await Demo.GetAsync(Demo.Image[..^"/v2".Length] + next);

        Assert.That(next, Does.StartWith("/v2/images?"));
        Assert.That(first!["images"]!.AsArray().Select(i => Str(i, "name")), Is.EqualTo(new[] { "img-2", "img-1" }));
        Assert.That(second!["images"]!.AsArray().Select(i => Str(i, "name")), Is.EqualTo(new[] { "img-0", "cirros-0.6.2-x86_64-disk" }));
    }

    [Test]
    public async Task AnUnknownMarker_IsBadRequest()
    {
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Compute}/servers/detail?marker=nope", HttpStatusCode.BadRequest);
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/volumes/detail?marker=nope", HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Nova_EchoesTheNegotiatedMicroversion_AndRefusesOneAboveItsMaximum()
    {
        using var ok = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Compute}/flavors/detail", microversion: "compute 2.61");
        var body = OpenStackSession.Parse(await ok.Content.ReadAsStringAsync());
        Assert.That(ok.Headers.GetValues("OpenStack-API-Version").Single(), Is.EqualTo("compute 2.61"));
        Assert.That(body["flavors"]![0]!["extra_specs"], Is.Not.Null, "2.61 adds extra_specs to flavors");

        using var old = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Compute}/flavors/detail");
        Assert.That(old.Headers.GetValues("X-OpenStack-Nova-API-Version").Single(), Is.EqualTo("2.1"));
        Assert.That(OpenStackSession.Parse(await old.Content.ReadAsStringAsync())["flavors"]![0]!["extra_specs"], Is.Null);

        using var tooNew = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Compute}/flavors/detail", microversion: "compute 2.999");
        Assert.That(tooNew.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
    }

    [Test]
    public async Task VersionDiscovery_AdvertisesEachServicesRange()
    {
        using var http = new HttpClient();
        var nova = OpenStackSession.Parse(await http.GetStringAsync(SiteA.ServiceUrl("compute") + "/v2.1"));
        var cinder = OpenStackSession.Parse(await http.GetStringAsync(SiteA.ServiceUrl("volume") + "/v3"));
        var glance = OpenStackSession.Parse(await http.GetStringAsync(SiteA.ServiceUrl("image") + "/versions"));
        var keystone = OpenStackSession.Parse(await http.GetStringAsync(SiteA.AuthUrl));

        Assert.That(Str(nova["version"], "min_version"), Is.EqualTo("2.1"));
        Assert.That(Str(nova["version"], "version"), Is.EqualTo("2.93"));
        Assert.That(Str(cinder["versions"]![0], "version"), Is.EqualTo("3.70"));
        Assert.That(Str(glance["versions"]![0], "id"), Is.EqualTo("v2.16"));
        Assert.That(Str(keystone["version"], "id"), Does.StartWith("v3"));
    }

    [Test]
    public async Task VolumesAndServers_FilterByTheMetadataAndTagsAPlanSelectorUses()
    {
        var tagged = await AvailableVolumeAsync(Demo, "tagged");
        await AvailableVolumeAsync(Demo, "plain");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Volume}/volumes/{tagged}/metadata", HttpStatusCode.OK,
            new JsonObject { ["metadata"] = new JsonObject { ["draas:protect"] = "true" } });
        var boot = new JsonObject
        {
            ["server"] = new JsonObject { ["name"] = "tagged-vm", ["flavorRef"] = "1", ["imageRef"] = await CirrosAsync(), ["networks"] = "none", ["tags"] = new JsonArray("draas", "web") },
        };
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, boot, "compute 2.52");
        boot["server"]!["name"] = "other-vm";
        boot["server"]!["tags"] = new JsonArray("web");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, boot, "compute 2.52");

        var volumes = await Demo.GetAsync($"{Demo.Volume}/volumes/detail?metadata=" + Uri.EscapeDataString("{'draas:protect': 'true'}"));
        var servers = await Demo.GetAsync($"{Demo.Compute}/servers/detail?tags=draas,web", "compute 2.26");

        Assert.That(volumes!["volumes"]!.AsArray().Select(v => Str(v, "name")), Is.EqualTo(new[] { "tagged" }));
        Assert.That(servers!["servers"]!.AsArray().Select(s => Str(s, "name")), Is.EqualTo(new[] { "tagged-vm" }));
    }
}
