using Draas.Simulators.FlashArray;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>Arrays are registered by a cloud admin and probed through their plugin, against the DR lab's FlashArrays.</summary>
[TestFixture]
public sealed class ArraysApiTests
{
    private TenantFixture _t = null!;
    private FlashArraySimulator _arrays = null!; // the DR lab's arrays: array-a and array-b, connected
    private string _a = null!;
    private string _b = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantFixture.StartAsync(arrays: false);
        _arrays = _t.Lab.FlashArray;
        _a = (await _t.CreateAsync("/v1/arrays", TenantFixture.Admin, ArrayBody("array-a", _t.SiteA)))["array"]!["id"]!.GetValue<string>();
        _b = (await _t.CreateAsync("/v1/arrays", TenantFixture.Admin, ArrayBody("array-b", _t.SiteB, peer: _a)))["array"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private object ArrayBody(string name, string site, string? token = null, string? peer = null) => new
    {
        array = new
        {
            name,
            site_id = site,
            plugin = "pure",
            endpoint = _arrays.ArrayUrl(name).ToString(),
            api_token = token ?? _arrays.ApiToken(name),
            cinder_backend = $"cinder@pure-{name}#pool",
            volume_types = new[] { "pure-replicated" },
            peer_array_id = peer,
        },
    };

    [Test]
    public async Task Two_peered_arrays_are_registered_and_a_probe_reaches_the_array_and_sees_its_connection()
    {
        var (status, probe, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/arrays/{_a}/action", TenantFixture.Admin, new { probe = new { } });

        Assert.That(status, Is.EqualTo(200), probe?.ToJsonString());
        Assert.That(probe!["probe"]!["reachable"]!.GetValue<bool>(), Is.True);
        Assert.That(probe["probe"]!["name"]!.GetValue<string>(), Is.EqualTo("array-a"));
        Assert.That(probe["probe"]!["free_bytes"]!.GetValue<long>(), Is.GreaterThan(0));
        Assert.That(probe["probe"]!["connections"]!.AsArray().Select(c => c!["remote_name"]!.GetValue<string>()), Does.Contain("array-b"));
        var (_, b, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/arrays/{_b}", TenantFixture.Admin);
        Assert.That(b!["array"]!["peer_array_id"]!.GetValue<string>(), Is.EqualTo(_a));
        var (_, listed, _) = await _t.Service.SendAsync(HttpMethod.Get, "/v1/arrays", TenantFixture.Admin);
        Assert.That(listed!.ToJsonString(), Does.Not.Contain(_arrays.ApiToken("array-a")).And.Not.Contain("api_token"));
    }

    [Test]
    public async Task An_arrays_copy_limit_defaults_to_ten_takes_1_to_1000_and_a_bad_one_changes_nothing()
    {
        var (_, shown, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/arrays/{_b}", TenantFixture.Admin);
        Assert.That(shown!["array"]!["max_concurrent_copies"]!.GetValue<int>(), Is.EqualTo(10));

        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/arrays/{_b}", TenantFixture.Admin, new { array = new { max_concurrent_copies = 3 } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["array"]!["max_concurrent_copies"]!.GetValue<int>(), Is.EqualTo(3));

        (status, body, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/arrays/{_b}", TenantFixture.Admin, new { array = new { max_concurrent_copies = 0, cinder_backend = "cinder@other#pool" } });
        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("array.max_concurrent_copies must be between 1 and 1000"));
        (_, shown, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/arrays/{_b}", TenantFixture.Admin);
        Assert.That(shown!["array"]!["max_concurrent_copies"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(shown["array"]!["cinder_backend"]!.GetValue<string>(), Is.EqualTo("cinder@pure-array-b#pool"));
    }

    [Test]
    public async Task A_wrong_token_makes_the_probe_report_the_array_unreachable_until_the_right_one_is_stored()
    {
        var (updated, _, _) = await _t.Service.SendAsync(HttpMethod.Put, $"/v1/arrays/{_b}", TenantFixture.Admin, new { array = new { api_token = "not-the-token" } });
        var (status, probe, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/arrays/{_b}/action", TenantFixture.Admin, new { probe = new { } });

        Assert.That(updated, Is.EqualTo(200));
        Assert.That(status, Is.EqualTo(200));
        Assert.That(probe!["probe"]!["reachable"]!.GetValue<bool>(), Is.False);
        Assert.That(probe["probe"]!["error"]!.GetValue<string>(), Is.Not.Empty.And.Not.Contain("not-the-token"));

        await _t.Service.SendAsync(HttpMethod.Put, $"/v1/arrays/{_b}", TenantFixture.Admin, new { array = new { api_token = _arrays.ApiToken("array-b") } });
        var (_, again, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/arrays/{_b}/action", TenantFixture.Admin, new { probe = new { } });
        Assert.That(again!["probe"]!["reachable"]!.GetValue<bool>(), Is.True, again.ToJsonString());
    }

    [Test]
    public async Task An_array_with_an_unknown_plugin_or_a_malformed_backend_is_refused()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/arrays", TenantFixture.Admin, new
        {
            array = new { name = "odd", site_id = _t.SiteA, plugin = "netapp", endpoint = "https://fa.example", api_token = "t", cinder_backend = "no-host-part" },
        });

        Assert.That(status, Is.EqualTo(400));
        Assert.That(body!["badRequest"]!["message"]!.GetValue<string>(), Does.Contain("array.plugin must be one of: pure").And.Contain("host@backend#pool"));
    }
}
