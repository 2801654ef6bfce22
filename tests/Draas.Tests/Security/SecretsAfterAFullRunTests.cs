using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Draas.Simulators.Lab;
using Draas.Tests.Runs;
using Draas.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Draas.Tests.Security;

/// <summary>
/// The service is configured with every kind of secret it holds (site passwords, an application
/// credential secret, array API tokens, its database password, its keystone_authtoken password), uses
/// them all through a drill and a failover in the DR lab, logs at debug level, and then none of them is
/// found, as written or encoded, in its logs, in anything its API answers, or in a pg_dump of its database.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SecretsAfterAFullRunTests
{
    [Test]
    [CancelAfter(400_000)]
    public async Task After_a_drill_and_a_failover_no_secret_is_in_the_logs_the_api_answers_or_a_database_dump()
    {
        var log = new LogCapture();
        await using var lab = await LabWithHistory.StartAsync(
            extra: new Dictionary<string, string?> { ["DEFAULT:debug"] = "true" },
            configure: services => services.AddSingleton<ILoggerProvider>(log));
        var answers = new Answers(lab.Service.Http);

        // A third site that authenticates with an application credential of site B's admin, checked by the site check job.
        const string appCredentialSecret = "AppCred-9f1c-Secret-Do-Not-Leak";
        var appCredentialId = await CreateApplicationCredentialAsync(lab.Tenant.Lab.SiteB, appCredentialSecret);
        var appSite = (await answers.SendAsync(HttpMethod.Post, "/v1/sites", new
        {
            site = new
            {
                name = "site-b-appcred",
                auth_url = lab.Tenant.Lab.SiteB.AuthUrl,
                region_name = lab.Tenant.Lab.SiteB.OpenStack.Region,
                auth_type = "v3applicationcredential",
                application_credential_id = appCredentialId,
                application_credential_secret = appCredentialSecret,
            },
        }))!["site"]!["id"]!.GetValue<string>();
        await answers.SendAsync(HttpMethod.Post, $"/v1/sites/{appSite}/action", new { check = new { } });
        var check = await Eventually.WaitForAsync(async () => (await answers.SendAsync(HttpMethod.Get, $"/v1/sites/{appSite}"))!["site"]!["last_check"] as JsonObject,
            "the application-credential site's check", TimeSpan.FromSeconds(60));
        Assert.That(check["ok"]!.GetValue<bool>(), Is.True, $"the application credential works: {check.ToJsonString()}");
        foreach (var array in new[] { lab.ArrayA, lab.ArrayB }) await answers.SendAsync(HttpMethod.Post, $"/v1/arrays/{array}/action", new { probe = new { } });

        var failover = await lab.Tenant.RunAsync("failover");
        Assert.That(failover["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(failover));
        await ReadEverythingAsync(answers);
        var dump = await PgDump.PlainAsync(lab.Service.Database.ConnectionString);

        var secrets = new SecretScan(new Dictionary<string, string>
        {
            ["site-a password"] = lab.Tenant.Lab.SiteA.Admin.Password,
            ["site-b password"] = lab.Tenant.Lab.SiteB.Admin.Password,
            ["application credential secret"] = appCredentialSecret,
            ["array-a API token"] = lab.Tenant.Lab.SiteA.ApiToken,
            ["array-b API token"] = lab.Tenant.Lab.SiteB.ApiToken,
            ["database password"] = new NpgsqlConnectionStringBuilder(lab.Service.Database.ConnectionString).Password!,
            ["keystone_authtoken password"] = KeystoneStandIn.ServicePassword,
            ["the service's Keystone token"] = KeystoneStandIn.ServiceToken,
            ["the admin's X-Auth-Token"] = KeystoneStandIn.AdminToken,
        });
        var logs = log.Text;
        var responses = answers.Text;
        var hits = secrets.Hits("the service's logs", logs).Concat(secrets.Hits("API answers", responses)).Concat(secrets.Hits("pg_dump", dump)).ToList();

        TestContext.Out.WriteLine($"scanned for {secrets.Secrets.Count} secrets in {secrets.FormCount} forms (plain, base64, base64url, url-encoded, hex):");
        TestContext.Out.WriteLine($"  the service's logs (debug level): {log.Count} lines, {Encoding.UTF8.GetByteCount(logs)} bytes");
        TestContext.Out.WriteLine($"  API answers: {answers.Count} responses, {Encoding.UTF8.GetByteCount(responses)} bytes");
        TestContext.Out.WriteLine($"  pg_dump: {Encoding.UTF8.GetByteCount(dump)} bytes");
        TestContext.Out.WriteLine($"hits: {hits.Count}");
        foreach (var hit in hits) TestContext.Out.WriteLine("  " + hit);

        Assert.Multiple(() =>
        {
            // The scan finds every form of every secret where one is: it is not blind.
            var planted = string.Join(" ", secrets.Secrets.Values.SelectMany(s => SecretScan.Forms(s).Select(f => $"[{f.Text}]")));
            Assert.That(secrets.Hits("a planted text", planted).Sum(h => int.Parse(h[(h.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)),
                Is.GreaterThanOrEqualTo(secrets.FormCount), "the scan finds what is planted");
            Assert.That(log.Count, Is.GreaterThan(100), "the service logged the runs");
            Assert.That(dump, Does.Contain("COPY public.sites").And.Contain("COPY hangfire.job"), "the dump holds the service's tables and its jobs");
            Assert.That(hits, Is.Empty, "secrets found");
        });
    }

    /// <summary>Every resource, listed and shown: sites, arrays, protections with runbooks, plans with status and
    /// manifests, runs with reports (JSON and Markdown), events, and the open endpoints.</summary>
    private static async Task ReadEverythingAsync(Answers answers)
    {
        foreach (var path in new[] { "/", "/healthz", "/metrics" }) await answers.SendAsync(HttpMethod.Get, path);
        async Task<IEnumerable<string>> Each(string collection) =>
            (await answers.SendAsync(HttpMethod.Get, $"/v1/{collection}"))![collection]!.AsArray().Select(x => x!["id"]!.GetValue<string>()).ToList();
        foreach (var site in await Each("sites")) await answers.SendAsync(HttpMethod.Get, $"/v1/sites/{site}");
        foreach (var array in await Each("arrays")) await answers.SendAsync(HttpMethod.Get, $"/v1/arrays/{array}");
        foreach (var protection in await Each("protections"))
        {
            await answers.SendAsync(HttpMethod.Get, $"/v1/protections/{protection}");
            await answers.SendAsync(HttpMethod.Get, $"/v1/protections/{protection}/runbook");
        }
        foreach (var plan in await Each("plans"))
        {
            await answers.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}");
            await answers.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}/status");
            var manifests = (await answers.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}/manifests"))!["manifests"]!.AsArray();
            foreach (var m in manifests) await answers.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}/manifests/{m!["sequence"]}");
        }
        foreach (var run in await Each("runs"))
        {
            await answers.SendAsync(HttpMethod.Get, $"/v1/runs/{run}");
            await answers.SendAsync(HttpMethod.Get, $"/v1/runs/{run}/report");
            await answers.SendAsync(HttpMethod.Get, $"/v1/runs/{run}/report", accept: "text/markdown");
        }
        await answers.SendAsync(HttpMethod.Get, "/v1/events?limit=1000");
    }

    /// <summary>Has site B's Keystone make an application credential for its admin, with the secret given.</summary>
    private static async Task<string> CreateApplicationCredentialAsync(LabSite site, string secret)
    {
        using var http = new HttpClient();
        var admin = site.Admin;
        using var login = await http.PostAsJsonAsync($"{admin.AuthUrl}/auth/tokens", new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = admin.Username, domain = new { name = "Default" }, password = admin.Password } } },
                scope = new { project = new { name = admin.ProjectName, domain = new { name = "Default" } } },
            },
        });
        login.EnsureSuccessStatusCode();
        var userId = JsonNode.Parse(await login.Content.ReadAsStringAsync())!["token"]!["user"]!["id"]!.GetValue<string>();
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{admin.AuthUrl}/users/{userId}/application_credentials")
        {
            Content = JsonContent.Create(new { application_credential = new { name = "draas-secrets-scan", secret } }),
        };
        create.Headers.Add("X-Auth-Token", login.Headers.GetValues("X-Subject-Token").Single());
        using var created = await http.SendAsync(create);
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        return JsonNode.Parse(await created.Content.ReadAsStringAsync())!["application_credential"]!["id"]!.GetValue<string>();
    }

    /// <summary>Sends as the admin and keeps every answer's body, whatever its status.</summary>
    private sealed class Answers(HttpClient http)
    {
        private readonly StringBuilder _text = new();

        public int Count { get; private set; }

        public string Text => _text.ToString();

        public async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body = null, string? accept = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-Auth-Token", KeystoneStandIn.AdminToken);
            if (accept is not null) request.Headers.Add("Accept", accept);
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            _text.Append(text).Append('\n');
            Count++;
            Assert.That((int)response.StatusCode, Is.LessThan(400), $"{method} {path}: {text}");
            return response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonNode.Parse(text) : null;
        }
    }
}
