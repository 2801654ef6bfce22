namespace Draas.Tests.Protection;

/// <summary>
/// An array's storage plugin decides what can be asked of it: an rbd array takes a ceph:// endpoint (a FlashArray
/// an http(s) one), and a plan asking a replication mode its arrays' plugin cannot keep is refused when it is
/// stored, naming the plugin and the modes it has, not accepted to fail at its first run.
/// </summary>
[TestFixture]
public sealed class PlanStorageModeTests
{
    private TenantFixture _t = null!;
    private Workload _shop = null!;
    private string _protection = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantFixture.StartAsync(arrays: false);
        _shop = await _t.WorkloadAsync();
        _protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("shop", _t.ProjectA)))["protection"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<(int Status, string Message)> PostAsync(string path, object body)
    {
        var (status, json, _) = await _t.Service.SendAsync(HttpMethod.Post, path, path == "/v1/plans" ? TenantFixture.MemberA : TenantFixture.Admin, body);
        var message = json?.AsObject().FirstOrDefault().Value?["message"]?.GetValue<string>() ?? json?.ToJsonString() ?? "";
        return (status, message);
    }

    private static object RbdArray(string name, string siteId, string backend, string endpoint, string? peer = null) => new
    {
        array = new { name, site_id = siteId, plugin = "rbd", endpoint, api_token = "AQBkc2VjcmV0a2V5LWZvci10ZXN0cw==", cinder_backend = backend, peer_array_id = peer },
    };

    [Test, Order(1)]
    public async Task Each_plugin_checks_its_own_endpoint_form_when_an_array_is_registered()
    {
        var (httpForRbd, why) = await PostAsync("/v1/arrays", RbdArray("ceph-x", _t.SiteA, _t.Lab.SiteA.CinderBackend, "https://ceph.example"));
        var (cephForPure, pureWhy) = await PostAsync("/v1/arrays", new
        {
            array = new { name = "fa-x", site_id = _t.SiteA, plugin = "pure", endpoint = "ceph://admin@10.0.0.1:3300/volumes", api_token = "t0ken", cinder_backend = "x@y#z" },
        });

        Assert.That(httpForRbd, Is.EqualTo(400), why);
        Assert.That(why, Does.Contain("array.endpoint: an rbd endpoint is ceph://USER@MON_HOST:PORT/POOL"));
        Assert.That(cephForPure, Is.EqualTo(400), pureWhy);
        Assert.That(pureWhy, Does.Contain("array.endpoint: a FlashArray endpoint is an http(s) URL"));
    }

    [Test, Order(2)]
    public async Task A_sync_plan_on_arrays_whose_plugin_keeps_only_async_is_refused_naming_the_plugin_and_its_modes()
    {
        var target = (await _t.CreateAsync("/v1/arrays", TenantFixture.Admin, RbdArray("ceph-b", _t.SiteB, _t.Lab.SiteB.CinderBackend, "ceph://admin@127.0.0.1:9/volumes")))["array"]!["id"]!.GetValue<string>();
        await _t.CreateAsync("/v1/arrays", TenantFixture.Admin, RbdArray("ceph-a", _t.SiteA, _t.Lab.SiteA.CinderBackend, "ceph://admin@127.0.0.1:9/volumes", target));
        var plan = new
        {
            plan = new
            {
                protection_id = _protection,
                name = "shop-sync",
                replication = new { mode = "sync" },
                resources = new object[] { new { kind = "volume", id = _shop.Extra } },
            },
        };

        var (status, message) = await PostAsync("/v1/plans", plan);

        Assert.That(status, Is.EqualTo(400), message);
        Assert.That(message, Does.Contain($"volume {_shop.Extra} is on array ceph-a, whose 'rbd' storage plugin cannot replicate in sync mode (it can: async)"));
        var (_, plans, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/plans", TenantFixture.MemberA);
        Assert.That(plans!["plans"]!.AsArray(), Is.Empty, "nothing was stored");
    }
}
