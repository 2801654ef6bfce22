using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>A member of another project gets 404 on every one of tenant A's resources; a reader of A only reads.</summary>
[TestFixture]
public sealed class TenantIsolationTests
{
    private TenantFixture _t = null!;
    private string _protection = null!;
    private string _plan = null!;
    private Workload _workload = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantFixture.StartAsync();
        _workload = await _t.WorkloadAsync();
        _protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("tenant-a", _t.ProjectA)))["protection"]!["id"]!.GetValue<string>();
        _plan = (await _t.CreateAsync("/v1/plans", TenantFixture.MemberA, TenantFixture.PlanBody(_protection, "web", _workload)))["plan"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private IEnumerable<(string Method, string Path, object? Body)> EveryCallOnA() =>
    [
        ("GET", $"/v1/protections/{_protection}", null),
        ("PUT", $"/v1/protections/{_protection}", new { protection = new { rpo_target_seconds = 600 } }),
        ("DELETE", $"/v1/protections/{_protection}", null),
        ("GET", $"/v1/plans/{_plan}", null),
        ("GET", $"/v1/plans/{_plan}/manifests", null),
        ("GET", $"/v1/plans/{_plan}/manifests/1", null),
        ("POST", $"/v1/plans/{_plan}/action", new { capture = new { } }),
        ("PUT", $"/v1/plans/{_plan}", new { plan = new { description = "mine now" } }),
        ("DELETE", $"/v1/plans/{_plan}", null),
    ];

    [Test]
    public async Task A_member_of_another_project_cannot_see_or_touch_any_of_them()
    {
        foreach (var (method, path, body) in EveryCallOnA())
        {
            var (status, json, _) = await _t.Service.SendAsync(new HttpMethod(method), path, TenantFixture.MemberB, body);
            Assert.That(status, Is.EqualTo(404), $"{method} {path}: {json?.ToJsonString()}");
            Assert.That(json!["itemNotFound"], Is.Not.Null);
        }
        var (_, plans, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/plans", TenantFixture.MemberB);
        var (_, protections, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/protections", TenantFixture.MemberB);
        var (_, events, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/events", TenantFixture.MemberB);
        Assert.That(plans!["plans"]!.AsArray(), Is.Empty);
        Assert.That(protections!["protections"]!.AsArray(), Is.Empty);
        Assert.That(events!["events"]!.AsArray(), Is.Empty);
        var (planStatus, _, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/plans", TenantFixture.MemberB, TenantFixture.PlanBody(_protection, "sneaky", _workload));
        Assert.That(planStatus, Is.EqualTo(400), "a plan in someone else's protection");
    }

    [Test]
    public async Task A_reader_of_the_project_reads_everything_and_changes_nothing()
    {
        foreach (var (method, path, body) in EveryCallOnA())
        {
            var (status, json, _) = await _t.Service.SendAsync(new HttpMethod(method), path, TenantFixture.ReaderA, body);
            // A reader sees the plan's manifest list (the one manifest does not exist yet: 404), and changes nothing.
            var expected = method != "GET" ? 403 : path.EndsWith("/manifests/1", StringComparison.Ordinal) ? 404 : 200;
            Assert.That(status, Is.EqualTo(expected), $"{method} {path}: {json?.ToJsonString()}");
        }
        var (_, plans, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/plans", TenantFixture.ReaderA);
        Assert.That(plans!["plans"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), Is.EqualTo(new[] { _plan }));
    }

    [Test]
    public async Task Members_cannot_reach_the_cloud_wide_resources()
    {
        foreach (var path in new[] { "/v1/sites", $"/v1/sites/{_t.SiteA}", "/v1/arrays" })
        {
            var (status, _, _) = await _t.Service.SendAsync(HttpMethod.Get, path, TenantFixture.MemberA);
            Assert.That(status, Is.EqualTo(403), path);
        }
    }
}
