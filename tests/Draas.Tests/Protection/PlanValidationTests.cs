using Draas.OpenStack.Compute.ServerGroups;

namespace Draas.Tests.Protection;

/// <summary>
/// A tenant names what to protect, and the service checks it at the primary site before it stores the plan:
/// what the tenant does not have is named back, a volume the arrays cannot replicate is refused with the
/// reason, and when the primary site does not answer nothing is accepted unchecked.
/// </summary>
[TestFixture]
public sealed class PlanValidationTests
{
    private TenantFixture _t = null!;
    private Workload _shop = null!;
    private string _protection = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // No arrays yet: the second test registers them step by step.
        _t = await TenantFixture.StartAsync(arrays: false);
        _shop = await _t.WorkloadAsync();
        _protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("shop", _t.ProjectA)))["protection"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<(int Status, string Message)> PostPlanAsync(object body)
    {
        var (status, json, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/plans", TenantFixture.MemberA, body);
        var message = json?.AsObject().FirstOrDefault().Value?["message"]?.GetValue<string>() ?? json?.ToJsonString() ?? "";
        return (status, message);
    }

    [Test, Order(1)]
    public async Task A_plan_naming_servers_volumes_and_images_the_tenant_does_not_have_is_refused_naming_every_one()
    {
        // Real resources, but another tenant's: they are not this tenant's to protect.
        var neighbour = await _t.WorkloadAsync("tenant-b");

        var (status, message) = await PostPlanAsync(new
        {
            plan = new
            {
                protection_id = _protection,
                name = "shop",
                resources = new object[]
                {
                    new { kind = "server", id = _shop.Web },
                    new { kind = "server", id = "7e0c8a1e-0000-4000-8000-00000000dead" },
                    new { kind = "server", id = neighbour.Web },
                    new { kind = "volume", id = "5b1f3c2d-0000-4000-8000-00000000beef" },
                    new { kind = "volume", id = neighbour.Extra },
                    new { kind = "image", id = "9a8b7c6d-0000-4000-8000-0000000f00d0" },
                },
            },
        });

        Assert.That(status, Is.EqualTo(400), message);
        Assert.That(message, Does.Contain("server 7e0c8a1e-0000-4000-8000-00000000dead")
            .And.Contain($"server {neighbour.Web}")
            .And.Contain("volume 5b1f3c2d-0000-4000-8000-00000000beef")
            .And.Contain($"volume {neighbour.Extra}")
            .And.Contain("image 9a8b7c6d-0000-4000-8000-0000000f00d0")
            .And.Contain("site-a"));
        Assert.That(message, Does.Not.Contain($"server {_shop.Web}"), "the tenant's own server is not missing");
        var (_, plans, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/plans", TenantFixture.MemberA);
        Assert.That(plans!["plans"]!.AsArray(), Is.Empty, "nothing was stored");
    }

    [Test, Order(2)]
    public async Task A_volume_is_refused_until_an_array_with_a_replication_peer_serves_its_backend()
    {
        var plan = TenantFixture.PlanBody(_protection, "shop", _shop);

        var (noArray, noArrayWhy) = await PostPlanAsync(plan);
        Assert.That(noArray, Is.EqualTo(400), noArrayWhy);
        Assert.That(noArrayWhy, Does.Contain($"volume {_shop.Extra} is on backend cinder@pure-a#pool, which no registered array at site-a serves"));
        Assert.That(noArrayWhy, Does.Contain("of server web").And.Contain("of server db"), "the servers' boot volumes are replicated too");

        var arrayB = await _t.RegisterArrayAsync(_t.Lab.SiteB, _t.SiteB, peer: null);
        var arrayA = await _t.RegisterArrayAsync(_t.Lab.SiteA, _t.SiteA, peer: null);
        var (noPeer, noPeerWhy) = await PostPlanAsync(plan);
        Assert.That(noPeer, Is.EqualTo(400), noPeerWhy);
        Assert.That(noPeerWhy, Does.Contain($"volume {_shop.Extra} is on array array-a, which has no replication peer"));

        var (peered, _, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/arrays/{arrayA}", TenantFixture.Admin, new { array = new { peer_array_id = arrayB } });
        Assert.That(peered, Is.EqualTo(200));
        var (accepted, acceptedBody) = await PostPlanAsync(plan);
        Assert.That(accepted, Is.EqualTo(201), acceptedBody);
    }

    [Test, Order(3)]
    public async Task Changing_a_plans_resources_is_checked_the_same_way_and_a_refused_change_leaves_the_plan_as_it_was()
    {
        var plan = (await _t.CreateAsync("/v1/plans", TenantFixture.MemberA, TenantFixture.PlanBody(_protection, "shop-edit", _shop)))["plan"]!["id"]!.GetValue<string>();

        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{plan}", TenantFixture.MemberA, new
        {
            plan = new { resources = new object[] { new { kind = "server", id = _shop.Web }, new { kind = "server", id = "gone-server-1" } } },
        });

        Assert.That(status, Is.EqualTo(400), body?.ToJsonString());
        Assert.That(body!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("server gone-server-1"));
        var (_, shown, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}", TenantFixture.MemberA);
        Assert.That(shown!["plan"]!["resources"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test, Order(4)]
    public async Task A_selector_is_checked_for_its_shape_and_its_server_group_must_be_the_tenants()
    {
        using var neighbour = _t.SessionIn("tenant-b");
        var theirs = await neighbour.Compute.ServerGroups.CreateAsync(new CreateServerGroupOptions { Name = "theirs", Policy = "anti-affinity" }, CancellationToken.None);

        var (unknown, unknownWhy) = await PostPlanAsync(new { plan = new { protection_id = _protection, name = "sel-1", selector = new { volume_tags = new[] { "gold" }, server_group = "x" } } });
        var (badPairs, badPairsWhy) = await PostPlanAsync(new { plan = new { protection_id = _protection, name = "sel-2", selector = new { volume_metadata = "draas:protect" } } });
        var (notTheirs, notTheirsWhy) = await PostPlanAsync(new { plan = new { protection_id = _protection, name = "sel-3", selector = new { server_group = theirs.Id } } });

        Assert.That(unknown, Is.EqualTo(400));
        Assert.That(unknownWhy, Does.Contain("unknown keys (volume_tags)"));
        Assert.That(badPairs, Is.EqualTo(400));
        Assert.That(badPairsWhy, Does.Contain("plan.selector.volume_metadata must be an object"));
        Assert.That(notTheirs, Is.EqualTo(400));
        Assert.That(notTheirsWhy, Does.Contain($"server group {theirs.Id}"));
    }

    [Test, Order(5)]
    public async Task When_the_primary_site_does_not_answer_a_plan_is_refused_with_503_and_accepted_once_it_is_back()
    {
        var plan = TenantFixture.PlanBody(_protection, "while-down", _shop);
        _t.Lab.SiteA.OpenStack.Faults.Down = true;
        (int Status, string Message) down;
        try
        {
            down = await PostPlanAsync(plan);
        }
        finally
        {
            _t.Lab.SiteA.OpenStack.Faults.Down = false;
        }

        Assert.That(down.Status, Is.EqualTo(503), down.Message);
        Assert.That(down.Message, Does.Contain("primary site site-a did not answer").And.Contain("Nothing was changed"));
        var (up, upWhy) = await PostPlanAsync(plan);
        Assert.That(up, Is.EqualTo(201), upWhy);
    }
}
