using Draas.OpenStack.Identity;
using Draas.OpenStack.Networking;
using Draas.Tests.OpenStack.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.OpenStack;

public class NetworkingTests : FakeCloudTests
{
    const string N = "/network/v2.0";

    static string NetworkJson(string id, string name) => $$"""
        {"id": "{{id}}", "name": "{{name}}", "status": "ACTIVE", "project_id": "p1", "tenant_id": "p1", "admin_state_up": true,
         "shared": false, "mtu": 1450, "subnets": ["sub-{{id}}"], "tags": [], "availability_zones": ["nova"],
         "router:external": false, "provider:network_type": "vxlan", "provider:physical_network": null, "provider:segmentation_id": 1001}
        """;

    [Test]
    public async Task Networks_are_listed_across_neutrons_pages_with_provider_attributes()
    {
        Cloud.Server.Given(Request.Create().WithPath($"{N}/networks").UsingGet().WithParam("marker", "n1"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"networks": [{{NetworkJson("n2", "dr-test")}}], "networks_links": [{"href": "x?marker=n1&page_reverse=True", "rel": "previous"}]}"""));
        Cloud.Server.Given(Request.Create().WithPath($"{N}/networks").UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""
                    {"networks": [{{NetworkJson("n1", "private")}}],
                     "networks_links": [{"href": "{{Cloud.Url}}{{N}}/networks?limit=1&marker=n1", "rel": "next"}]}
                    """));

        var networks = await Session.Networking.ListNetworksAsync(new NetworkListOptions { ProjectId = "p1", Limit = 1 }, CancellationToken.None).ToListAsync();

        Assert.That(networks.Select(n => n.Name), Is.EqualTo(new[] { "private", "dr-test" }));
        Assert.That(networks[0].NetworkType, Is.EqualTo("vxlan"));
        Assert.That(networks[0].SegmentationId, Is.EqualTo(1001));
        Assert.That(networks[0].External, Is.False);
        var first = Cloud.Requests("GET", $"{N}/networks")[0];
        Assert.That(first.Query("project_id"), Is.EqualTo("p1"));
        Assert.That(first.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [Test]
    public async Task Subnets_of_a_network_and_single_resources_are_read()
    {
        const string subnet = """
            {"id": "sub-n1", "name": "private-v4", "network_id": "n1", "project_id": "p1", "cidr": "10.0.0.0/24", "ip_version": 4,
             "gateway_ip": "10.0.0.1", "enable_dhcp": true, "dns_nameservers": ["10.0.0.2"],
             "allocation_pools": [{"start": "10.0.0.10", "end": "10.0.0.200"}], "host_routes": [], "tags": []}
            """;
        Cloud.Stub("GET", $"{N}/subnets", 200, $$"""{"subnets": [{{subnet}}]}""");
        Cloud.Stub("GET", $"{N}/subnets/sub-n1", 200, $$"""{"subnet": {{subnet}}}""");
        Cloud.Stub("GET", $"{N}/networks/n1", 200, $$"""{"network": {{NetworkJson("n1", "private")}}}""");

        var subnets = await Session.Networking.ListSubnetsAsync("n1", null, CancellationToken.None).ToListAsync();
        var one = await Session.Networking.GetSubnetAsync("sub-n1", CancellationToken.None);
        var network = await Session.Networking.GetNetworkAsync("n1", CancellationToken.None);

        Assert.That(subnets.Single().AllocationPools.Single().End, Is.EqualTo("10.0.0.200"));
        Assert.That(one.GatewayIp, Is.EqualTo("10.0.0.1"));
        Assert.That(network.Subnets, Is.EqualTo(new[] { "sub-n1" }));
        Assert.That(Cloud.Single("GET", $"{N}/subnets").Query("network_id"), Is.EqualTo("n1"));
    }
}
