using System.Text.Json.Nodes;
using Draas.Api.Errors;
using Draas.Tests.Security;

namespace Draas.Tests.Protection;

/// <summary>
/// Who may do what to tenant A's resources: every endpoint and verb, asked by a cloud admin, a member of
/// A, a member of another project B, a reader of A and a caller without a token. The expected answers
/// are the table below; every cell is asked and checked. A member of B is told A's resources do not
/// exist (404, never 403: no existence leak), a reader of A reads but gets 403 on every change, no token
/// is 401. "200+" is a list that holds A's resource, "200-" one that holds nothing of project A.
/// Two refusals of B are not 404 and leak nothing: a plan naming A's protection is the 400 a protection
/// that does not exist gets, and enrolling A's project is refused by policy (403) before anything is looked up.
/// Changes that are allowed use bodies that are valid but harmless (the same contacts, a description, a
/// dry run), meet a 409 that proves the caller got past policy (a run that already ended, a protection
/// that still has plans), or act on a plan made for that one cell ({disposable}).
/// Recovery projects: an admin maps site B's demo project to A ({mapping}); A's member may name that one, but
/// not tenant B's recovery project (403: not mapped to A), which not even an admin may give A (400).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TenantIsolationTests
{
    private static readonly string[] Matrix =
    [
        // call                                          admin   member A  member B  reader A  no token
        "GET    /v1/sites                              | 200   | 403     | 403     | 403     | 401",
        "POST   /v1/sites                              | 201   | 403     | 403     | 403     | 401",
        "GET    /v1/sites/{site}                       | 200   | 403     | 403     | 403     | 401",
        "PUT    /v1/sites/{site}                       | 200   | 403     | 403     | 403     | 401",
        "DELETE /v1/sites/{site}                       | 409   | 403     | 403     | 403     | 401",
        "POST   /v1/sites/{site}/action                | 202   | 403     | 403     | 403     | 401",
        "GET    /v1/arrays                             | 200   | 403     | 403     | 403     | 401",
        "POST   /v1/arrays                             | 409   | 403     | 403     | 403     | 401",
        "GET    /v1/arrays/{array}                     | 200   | 403     | 403     | 403     | 401",
        "PUT    /v1/arrays/{array}                     | 200   | 403     | 403     | 403     | 401",
        "DELETE /v1/arrays/{peer}                      | 409   | 403     | 403     | 403     | 401",
        "POST   /v1/arrays/{array}/action              | 200   | 403     | 403     | 403     | 401",
        "GET    /v1/protections                        | 200+  | 200+    | 200-    | 200+    | 401",
        "POST   /v1/protections                        | 409   | 409     | 403     | 403     | 401",
        "GET    /v1/protections/{protection}           | 200   | 200     | 404     | 200     | 401",
        "PUT    /v1/protections/{protection}           | 200   | 200     | 404     | 403     | 401",
        "DELETE /v1/protections/{protection}           | 409   | 409     | 404     | 403     | 401",
        "GET    /v1/protections/{protection}/runbook   | 200   | 200     | 404     | 200     | 401",
        "GET    /v1/plans                              | 200+  | 200+    | 200-    | 200+    | 401",
        "POST   /v1/plans                              | 409   | 409     | 400     | 403     | 401",
        "GET    /v1/plans/{plan}                       | 200   | 200     | 404     | 200     | 401",
        "PUT    /v1/plans/{plan}                       | 200   | 200     | 404     | 403     | 401",
        "DELETE /v1/plans/{disposable}                 | 204   | 204     | 404     | 403     | 401",
        "POST   /v1/plans/{plan}/action                | 202   | 202     | 404     | 403     | 401",
        "GET    /v1/plans/{plan}/status                | 200   | 200     | 404     | 200     | 401",
        "GET    /v1/plans/{plan}/manifests             | 200   | 200     | 404     | 200     | 401",
        "GET    /v1/plans/{plan}/manifests/{n}         | 200   | 200     | 404     | 200     | 401",
        "GET    /v1/runs                               | 200+  | 200+    | 200-    | 200+    | 401",
        "POST   /v1/runs (drill, dry run)              | 200   | 200     | 404     | 403     | 401",
        "POST   /v1/runs (failover, dry run)           | 200   | 403     | 404     | 403     | 401",
        "GET    /v1/runs/{run}                         | 200   | 200     | 404     | 200     | 401",
        "GET    /v1/runs/{run}/report                  | 200   | 200     | 404     | 200     | 401",
        "POST   /v1/runs/{run}/action                  | 409   | 409     | 404     | 403     | 401",
        "GET    /v1/events                             | 200+  | 200+    | 200-    | 200+    | 401",
        "GET    /v1/project-mappings                   | 200   | 403     | 403     | 403     | 401",
        "POST   /v1/project-mappings                   | 409   | 403     | 403     | 403     | 401",
        "GET    /v1/project-mappings/{mapping}         | 200   | 403     | 403     | 403     | 401",
        "PUT    /v1/protections/{protection} (the mapped recovery project) | 200 | 200 | 404 | 403 | 401",
        "PUT    /v1/protections/{protection} (another tenant's project)    | 400 | 403 | 404 | 403 | 401",
        "DELETE /v1/project-mappings/{mapping}         | 204   | 403     | 403     | 403     | 401",
    ];

    private static readonly (string Name, string? Token)[] Identities =
    [
        ("admin", LabWithHistory.Admin), ("member A", LabWithHistory.MemberA), ("member B", LabWithHistory.MemberB),
        ("reader A", LabWithHistory.ReaderA), ("no token", null),
    ];

    private LabWithHistory _lab = null!;
    private int _made;
    private string _mapping = null!;
    private string _foreign = null!;

    private string MappedProject => _lab.Tenant.Lab.SiteB.OpenStack.ProjectId("demo");

    [OneTimeSetUp]
    public async Task Start()
    {
        _lab = await LabWithHistory.StartAsync();
        // Tenant B is protected too, recovering into its own project at site B.
        _foreign = (await _lab.Tenant.AdminB.Identity.CreateProjectAsync(new Draas.OpenStack.Identity.CreateProjectOptions { Name = "tenant-b-recovery" }, CancellationToken.None)).Id;
        var (enrolled, body, _) = await _lab.Service.SendAsync(HttpMethod.Post, "/v1/protections", LabWithHistory.Admin, new
        {
            protection = new { name = "tenant-b", primary_site_id = _lab.SiteA, primary_project_id = LabWithHistory.ProjectB, recovery_site_id = _lab.SiteB, recovery_project_id = _foreign },
        });
        Assert.That(enrolled, Is.EqualTo(201), body?.ToJsonString());
        var (mapped, mapping, _) = await _lab.Service.SendAsync(HttpMethod.Post, "/v1/project-mappings", LabWithHistory.Admin, MappingBody());
        Assert.That(mapped, Is.EqualTo(201), mapping?.ToJsonString());
        _mapping = mapping!["project_mapping"]!["id"]!.GetValue<string>();
    }

    private object MappingBody() => new
    {
        project_mapping = new { primary_site_id = _lab.SiteA, primary_project_id = _lab.ProjectA, recovery_site_id = _lab.SiteB, recovery_project_id = MappedProject },
    };

    [OneTimeTearDown]
    public async Task Stop() => await _lab.DisposeAsync();

    [Test]
    [CancelAfter(300_000)]
    public async Task Every_endpoint_and_verb_answers_each_identity_as_the_matrix_says()
    {
        var failures = new List<string>();
        var answered = new List<string>();
        foreach (var line in Matrix)
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var call = cells[0];
            var row = new List<string>();
            for (var i = 0; i < Identities.Length; i++)
            {
                var (who, token) = Identities[i];
                var (method, path, body) = await RequestAsync(call, who);
                var (status, json, _) = await _lab.Service.SendAsync(new HttpMethod(method), path, token, body);
                var text = json?.ToJsonString() ?? "";
                var actual = cells[i + 1].EndsWith('+') || cells[i + 1].EndsWith('-') ? Listing(status, text, path) : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                row.Add(actual);
                if (actual != cells[i + 1]) failures.Add($"{call} × {who}: expected {cells[i + 1]}, got {actual}: {(text.Length > 200 ? text[..200] : text)}");
                else if (status >= 400 && (json is not JsonObject fault || fault[Faults.NameFor(status)]?["code"]?.GetValue<int>() != status))
                    failures.Add($"{call} × {who}: {status} without its OpenStack fault: {text}");
            }
            answered.Add($"{call,-46}| {string.Join(" | ", row.Select((r, i) => r.PadRight(Identities[i].Name.Length)))}");
        }
        await RemoveDisposablePlansAsync();

        TestContext.Out.WriteLine($"{Matrix.Length} calls x {Identities.Length} identities = {Matrix.Length * Identities.Length} cells, {failures.Count} not as expected");
        TestContext.Out.WriteLine($"{"call",-46}| {string.Join(" | ", Identities.Select(i => i.Name))}");
        foreach (var line in answered) TestContext.Out.WriteLine(line);
        Assert.That(failures, Is.Empty, "cells not as the matrix says");
    }

    [Test]
    public async Task A_member_naming_another_tenants_recovery_project_is_refused_with_the_reason_and_nothing_is_stored_or_shared_into_it()
    {
        var (status, body, _) = await _lab.Service.SendAsync(HttpMethod.Put, $"/v1/protections/{_lab.Protection}", LabWithHistory.MemberA,
            new { protection = new { recovery_project_id = _foreign } });

        Assert.That(status, Is.EqualTo(403), body?.ToJsonString());
        Assert.That(body!["forbidden"]!["message"]!.GetValue<string>(), Does.Contain($"Project {_foreign} at the recovery site is not mapped to project {_lab.ProjectA}")
            .And.Contain("/v1/project-mappings").And.Contain("\"create\": true"));
        var protection = (await _lab.Service.SendAsync(HttpMethod.Get, $"/v1/protections/{_lab.Protection}", LabWithHistory.Admin)).Body!["protection"]!;
        Assert.That(protection["recovery_project_id"]!.GetValue<string>(), Is.EqualTo(MappedProject), "the refused project was not stored");
        // A protection cycle shares the tenant's image copies with its recovery project: none reaches B's.
        await _lab.Tenant.ProtectAsync();
        var shared = new List<string>();
        await foreach (var image in _lab.Tenant.AdminB.Image.ListAsync(null, CancellationToken.None))
        {
            if (image.Visibility != "shared") continue;
            foreach (var member in await _lab.Tenant.AdminB.Image.ListMembersAsync(image.Id, CancellationToken.None))
                if (member.MemberId == _foreign) shared.Add(image.Name ?? image.Id);
        }
        Assert.That(shared, Is.Empty, "images shared into tenant B's project");
    }

    /// <summary>"200+": a 200 list holding A's resource; "200-": a 200 list with nothing of project A.</summary>
    private string Listing(int status, string text, string path)
    {
        if (status != 200) return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mine = path switch
        {
            "/v1/protections" => _lab.Protection,
            "/v1/plans" => _lab.Plan,
            "/v1/runs" => _lab.Drill,
            _ => _lab.Plan, // events: those about A's plan
        };
        return text.Contains(mine, StringComparison.Ordinal) ? "200+" : text.Contains(_lab.ProjectA, StringComparison.Ordinal) ? "200 (leaks project A)" : "200-";
    }

    /// <summary>The request a row stands for, with the ids of tenant A's resources filled in.</summary>
    private async Task<(string Method, string Path, object? Body)> RequestAsync(string call, string who)
    {
        var parts = call.Split(' ', 2, StringSplitOptions.TrimEntries);
        var method = parts[0];
        var path = parts[1].Split(' ')[0]
            .Replace("{site}", _lab.SiteA).Replace("{array}", _lab.ArrayA).Replace("{peer}", _lab.ArrayB)
            .Replace("{protection}", _lab.Protection).Replace("{plan}", _lab.Plan).Replace("{run}", _lab.Drill).Replace("{mapping}", _mapping)
            .Replace("{n}", _lab.Manifest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (path.Contains("{disposable}", StringComparison.Ordinal)) path = path.Replace("{disposable}", await DisposablePlanAsync());
        var tag = who.Replace(" ", "-", StringComparison.Ordinal);
        var volume = _lab.Tenant.Volumes["shared-extra"];
        object? body = (method, parts[1]) switch
        {
            ("POST", "/v1/sites") => new { site = new { name = $"matrix-{tag}", auth_url = "https://keystone.example/v3", username = "u", project_name = "p", password = "pw" } },
            ("PUT", _) when path.StartsWith("/v1/sites/", StringComparison.Ordinal) => new { site = new { description = $"touched by {who}" } },
            ("POST", _) when path.EndsWith("/action", StringComparison.Ordinal) && path.StartsWith("/v1/sites/", StringComparison.Ordinal) => new { check = new { } },
            // The name is taken: an admin gets past validation and policy to the conflict.
            ("POST", "/v1/arrays") => new { array = new { name = _lab.Tenant.Lab.SiteA.ArrayName, site_id = _lab.SiteA, plugin = "pure", endpoint = "https://fa.example", api_token = "t", cinder_backend = "h@b#p" } },
            ("PUT", _) when path.StartsWith("/v1/arrays/", StringComparison.Ordinal) => new { array = new { volume_types = Array.Empty<string>() } },
            ("POST", _) when path.StartsWith("/v1/arrays/", StringComparison.Ordinal) => new { probe = new { } },
            // Project A is enrolled at site A already.
            ("POST", "/v1/protections") => new { protection = new { name = $"again-{tag}", primary_site_id = _lab.SiteA, primary_project_id = _lab.ProjectA, recovery_site_id = _lab.SiteB } },
            ("POST", "/v1/project-mappings") => MappingBody(), // mapped already: an admin gets past policy to the conflict
            ("PUT", _) when call.Contains("(the mapped recovery project)", StringComparison.Ordinal) => new { protection = new { recovery_project_id = MappedProject } },
            ("PUT", _) when call.Contains("(another tenant's project)", StringComparison.Ordinal) => new { protection = new { recovery_project_id = _foreign } },
            ("PUT", _) when path.StartsWith("/v1/protections/", StringComparison.Ordinal) => new { protection = new { contacts = new[] { "oncall@shop.example" } } },
            // The plan's name is taken in A's protection.
            ("POST", "/v1/plans") => new { plan = new { protection_id = _lab.Protection, name = "shop-all", resources = new[] { new { kind = "volume", id = volume } } } },
            ("PUT", _) when path.StartsWith("/v1/plans/", StringComparison.Ordinal) => new { plan = new { description = $"touched by {who}" } },
            ("POST", _) when path.StartsWith("/v1/plans/", StringComparison.Ordinal) => new { capture = new { } },
            ("POST", _) when call.Contains("(drill, dry run)", StringComparison.Ordinal) => new { run = new { plan_id = _lab.Plan, kind = "drill", dry_run = true } },
            ("POST", _) when call.Contains("(failover, dry run)", StringComparison.Ordinal) => new { run = new { plan_id = _lab.Plan, kind = "failover", dry_run = true } },
            ("POST", _) when path.StartsWith("/v1/runs/", StringComparison.Ordinal) => new { cancel = new { } },
            _ => null,
        };
        return (method, path, body);
    }

    /// <summary>A plan of A's made for one cell, so a delete that is allowed costs the other cells nothing.</summary>
    private async Task<string> DisposablePlanAsync()
    {
        var (status, json, _) = await _lab.Service.SendAsync(HttpMethod.Post, "/v1/plans", LabWithHistory.Admin, new
        {
            plan = new { protection_id = _lab.Protection, name = $"disposable-{++_made}", resources = new[] { new { kind = "volume", id = _lab.Tenant.Volumes["shared-extra"] } } },
        });
        Assert.That(status, Is.EqualTo(201), json?.ToJsonString());
        return json!["plan"]!["id"]!.GetValue<string>();
    }

    private async Task RemoveDisposablePlansAsync()
    {
        var plans = (await _lab.Service.SendAsync(HttpMethod.Get, "/v1/plans", LabWithHistory.Admin)).Body!["plans"]!.AsArray();
        foreach (var plan in plans.Where(p => p!["name"]!.GetValue<string>().StartsWith("disposable-", StringComparison.Ordinal)))
            await _lab.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{plan!["id"]}", LabWithHistory.Admin);
    }
}
