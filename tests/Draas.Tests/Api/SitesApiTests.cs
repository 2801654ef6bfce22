using System.Text.Json.Nodes;
using Draas.Tests.Support;

namespace Draas.Tests.Api;

[TestFixture]
public sealed class SitesApiTests
{
    private const string Admin = KeystoneStandIn.AdminToken;
    private RunningService _service = null!;

    [OneTimeSetUp]
    public async Task Start() => _service = await RunningService.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _service.DisposeAsync();

    public static object SiteBody(string name, string password = "s3cret-Pa55") => new
    {
        site = new
        {
            name,
            auth_url = "https://keystone.site-a.example:5000/v3",
            region_name = "RegionOne",
            username = "draas",
            project_name = "service",
            password,
        },
    };

    [Test]
    public async Task An_admin_registers_a_site_and_the_password_never_comes_back()
    {
        var (status, body, response) = await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-a-register", "never-show-me-42"));

        Assert.That(status, Is.EqualTo(201), body?.ToJsonString());
        var site = body!["site"]!;
        Assert.That(site["name"]!.GetValue<string>(), Is.EqualTo("site-a-register"));
        Assert.That(site["auth_type"]!.GetValue<string>(), Is.EqualTo("password"));
        Assert.That(site["interface"]!.GetValue<string>(), Is.EqualTo("public"));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/v1/sites/{site["id"]}"));

        var (showStatus, shown, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/sites/{site["id"]}", Admin);
        var (_, listed, _) = await _service.SendAsync(HttpMethod.Get, "/v1/sites", Admin);
        Assert.That(showStatus, Is.EqualTo(200));
        foreach (var json in new[] { body.ToJsonString(), shown!.ToJsonString(), listed!.ToJsonString() })
        {
            Assert.That(json, Does.Not.Contain("never-show-me-42"));
            Assert.That(json, Does.Not.Contain("password\":"));
            Assert.That(json, Does.Not.Contain("ciphertext"));
        }
    }

    [Test]
    public async Task A_second_site_with_the_same_name_is_a_conflict()
    {
        Assert.That((await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-dup"))).Status, Is.EqualTo(201));

        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-dup"));

        Assert.That(status, Is.EqualTo(409));
        Assert.That(body!["conflict"]!["message"]!.GetValue<string>(), Does.Contain("site-dup"));
    }

    [Test]
    public async Task An_update_changes_only_the_fields_sent_and_can_replace_the_password()
    {
        var created = (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-upd"))).Body!["site"]!;
        var id = created["id"]!.GetValue<string>();
        var before = await _service.Database.ScalarAsync<string>("SELECT secret_ciphertext FROM sites WHERE id = $1", Guid.Parse(id));

        var (status, body, _) = await _service.SendAsync(HttpMethod.Put, $"/v1/sites/{id}", Admin,
            new { site = new { description = "the recovery site", password = "rotated-pw" } });

        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["site"]!["description"]!.GetValue<string>(), Is.EqualTo("the recovery site"));
        Assert.That(body["site"]!["auth_url"]!.GetValue<string>(), Is.EqualTo(created["auth_url"]!.GetValue<string>()));
        var after = await _service.Database.ScalarAsync<string>("SELECT secret_ciphertext FROM sites WHERE id = $1", Guid.Parse(id));
        Assert.That(after, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task A_sites_import_and_boot_limits_default_to_ten_take_1_to_1000_and_a_bad_one_changes_nothing()
    {
        var created = (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-limits"))).Body!["site"]!;
        var id = created["id"]!.GetValue<string>();
        Assert.That(created["max_concurrent_imports"]!.GetValue<int>(), Is.EqualTo(10));
        Assert.That(created["max_concurrent_boots"]!.GetValue<int>(), Is.EqualTo(10));

        var (status, body, _) = await _service.SendAsync(HttpMethod.Put, $"/v1/sites/{id}", Admin, new { site = new { max_concurrent_imports = 4, max_concurrent_boots = 1000 } });
        Assert.That(status, Is.EqualTo(200), body?.ToJsonString());
        Assert.That(body!["site"]!["max_concurrent_imports"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(body["site"]!["max_concurrent_boots"]!.GetValue<int>(), Is.EqualTo(1000));

        (status, body, _) = await _service.SendAsync(HttpMethod.Put, $"/v1/sites/{id}", Admin, new { site = new { max_concurrent_imports = 0, max_concurrent_boots = 1001, description = "not saved" } });
        Assert.That(status, Is.EqualTo(400));
        var message = body!["badRequest"]!["message"]!.GetValue<string>();
        Assert.That(message, Does.Contain("site.max_concurrent_imports must be between 1 and 1000").And.Contain("site.max_concurrent_boots must be between 1 and 1000"));
        var shown = (await _service.SendAsync(HttpMethod.Get, $"/v1/sites/{id}", Admin)).Body!["site"]!;
        Assert.That(shown["max_concurrent_imports"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(shown["description"], Is.Null);
    }

    [Test]
    public async Task A_deleted_site_is_gone_and_each_change_is_in_the_audit_log()
    {
        var id = (await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-del"))).Body!["site"]!["id"]!.GetValue<string>();

        var (status, _, _) = await _service.SendAsync(HttpMethod.Delete, $"/v1/sites/{id}", Admin);
        var (showStatus, shown, _) = await _service.SendAsync(HttpMethod.Get, $"/v1/sites/{id}", Admin);

        Assert.That(status, Is.EqualTo(204));
        Assert.That(showStatus, Is.EqualTo(404));
        Assert.That(shown!["itemNotFound"]!["message"]!.GetValue<string>(), Does.Contain(id));
        var actions = await _service.Database.ScalarAsync<string>(
            "SELECT string_agg(action || ':' || user_id, ',' ORDER BY id) FROM audit_events WHERE resource_id = $1", id);
        Assert.That(actions, Is.EqualTo("site.create:admin-user,site.delete:admin-user"));
    }

    [Test]
    public async Task Sites_are_listed_in_pages_with_a_next_link()
    {
        for (var i = 0; i < 3; i++) await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody($"site-page-{i}"));
        var total = (await _service.SendAsync(HttpMethod.Get, "/v1/sites", Admin)).Body!["sites"]!.AsArray().Count;

        var seen = new List<string>();
        string? next = "/v1/sites?limit=2";
        while (next is not null)
        {
            var (status, page, _) = await _service.SendAsync(HttpMethod.Get, next, Admin);
            Assert.That(status, Is.EqualTo(200));
            var sites = page!["sites"]!.AsArray();
            Assert.That(sites.Count, Is.LessThanOrEqualTo(2));
            seen.AddRange(sites.Select(s => s!["id"]!.GetValue<string>()));
            next = page["sites_links"]!.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next")?["href"]!.GetValue<string>();
        }

        Assert.That(seen, Has.Count.EqualTo(total).And.Unique);
    }

    [Test]
    public async Task An_application_credential_site_needs_its_id_and_secret()
    {
        var (status, body, _) = await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, new
        {
            site = new { name = "site-appcred", auth_url = "https://k.example/v3", auth_type = "v3applicationcredential" },
        });

        Assert.That(status, Is.EqualTo(400));
        var message = body!["badRequest"]!["message"]!.GetValue<string>();
        Assert.That(message, Does.Contain("site.application_credential_id is required"));
        Assert.That(message, Does.Contain("site.application_credential_secret is required"));
    }

    [Test]
    public async Task A_site_still_used_by_an_array_cannot_be_deleted()
    {
        var id = Guid.Parse((await _service.SendAsync(HttpMethod.Post, "/v1/sites", Admin, SiteBody("site-in-use"))).Body!["site"]!["id"]!.GetValue<string>());
        await _service.Database.ExecuteAsync($$"""
            INSERT INTO arrays (id, name, site_id, plugin, endpoint, api_token_ciphertext, cinder_backend, volume_types, verify_tls, created_at, updated_at)
            VALUES ('{{Guid.NewGuid()}}', 'fa-in-use', '{{id}}', 'pure', 'https://fa.example', 'x', 'c@pure#pool', '{}', true, now(), now())
            """);

        var (status, body, _) = await _service.SendAsync(HttpMethod.Delete, $"/v1/sites/{id}", Admin);

        Assert.That(status, Is.EqualTo(409));
        Assert.That(body!["conflict"]!["message"]!.GetValue<string>(), Does.Contain("site-in-use"));
    }
}
