using Draas.Tests.Support;

namespace Draas.Tests.Protection;

[TestFixture]
public sealed class EnrolmentTests
{
    private TenantFixture _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantFixture.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task An_admin_enrols_a_tenant_and_a_member_of_that_tenant_creates_a_plan_of_two_servers_and_a_volume()
    {
        var workload = await _t.WorkloadAsync();
        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("tenant-a", _t.ProjectA)))["protection"]!;
        Assert.That(protection["primary_project_id"]!.GetValue<string>(), Is.EqualTo(_t.ProjectA));
        Assert.That(protection["network_mapping"]!["net-private-a"]!.GetValue<string>(), Is.EqualTo("net-private-b"));
        Assert.That(protection["status"]!.GetValue<string>(), Is.EqualTo("active"));

        var plan = (await _t.CreateAsync("/v1/plans", TenantFixture.MemberA, TenantFixture.PlanBody(protection["id"]!.GetValue<string>(), "web-shop", workload)))["plan"]!;

        Assert.That(plan["project_id"]!.GetValue<string>(), Is.EqualTo(_t.ProjectA));
        Assert.That(plan["replication"]!["mode"]!.GetValue<string>(), Is.EqualTo("async"));
        Assert.That(plan["resources"]!.AsArray().Select(r => $"{r!["kind"]}:{r["id"]}:{r["priority_group"]}"),
            Is.EqualTo(new[] { $"server:{workload.Db}:1", $"volume:{workload.Extra}:1", $"server:{workload.Web}:2" }));
        var (_, events, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/events?resource_type=plan", TenantFixture.MemberA);
        Assert.That(events!["events"]![0]!["action"]!.GetValue<string>(), Is.EqualTo("plan.create"));
        Assert.That(events["events"]![0]!["user_name"]!.GetValue<string>(), Is.EqualTo("alice"));
    }

    [Test]
    public async Task A_member_enrols_their_own_project_but_not_another_one()
    {
        var own = await _t.CreateAsync("/v1/protections", TenantFixture.MemberB, _t.Enrolment("tenant-b-self", _t.ProjectB));
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.MemberB, _t.Enrolment("steal-a", "cccccccc3333project"));

        Assert.That(own["protection"]!["primary_project_id"]!.GetValue<string>(), Is.EqualTo(_t.ProjectB));
        Assert.That(status, Is.EqualTo(403), body?.ToJsonString());
    }

    [Test]
    public async Task A_project_is_enrolled_once_per_site_and_plan_names_are_unique_within_a_protection()
    {
        var workload = await _t.WorkloadAsync("tenant-dup");
        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("tenant-dup", workload.ProjectId)))["protection"]!;
        await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("tenant-dup-2", workload.ProjectId), expected: 409);
        var id = protection["id"]!.GetValue<string>();

        await _t.CreateAsync("/v1/plans", TenantFixture.Admin, TenantFixture.PlanBody(id, "same", workload));
        var conflict = await _t.CreateAsync("/v1/plans", TenantFixture.Admin, TenantFixture.PlanBody(id, "same", workload), expected: 409);

        Assert.That(conflict["conflict"]!["message"]!.GetValue<string>(), Does.Contain("same"));
    }

    [Test]
    public async Task Bad_enrolments_and_plans_are_refused_with_every_reason()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/protections", TenantFixture.Admin, new
        {
            protection = new
            {
                name = "bad",
                primary_site_id = _t.SiteA,
                primary_project_id = "eeee5555project",
                recovery_site_id = _t.SiteA,
                rpo_target_seconds = 5,
                drill_schedule = "every sunday",
                contacts = new[] { "not-an-address" },
            },
        });

        Assert.That(status, Is.EqualTo(400));
        var message = body!["badRequest"]!["message"]!.GetValue<string>();
        Assert.That(message, Does.Contain("recovery_site_id must differ").And.Contain("rpo_target_seconds").And.Contain("drill_schedule").And.Contain("contacts"));

        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("tenant-badplan", "ffff6666project")))["protection"]!["id"]!.GetValue<string>();
        var (planStatus, planBody, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/plans", TenantFixture.Admin, new
        {
            plan = new { protection_id = protection, name = "p", replication = new { interval_seconds = 1 }, resources = new object[] { new { kind = "volume" }, new { kind = "server", id = "s", priority_group = 99 } } },
        });
        Assert.That(planStatus, Is.EqualTo(400));
        Assert.That(planBody!["badRequest"]!["message"]!.GetValue<string>(),
            Does.Contain("interval_seconds").And.Contain("resources[0].id is required").And.Contain("resources[1].priority_group"));
    }
}
