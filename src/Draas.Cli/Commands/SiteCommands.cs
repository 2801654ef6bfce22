using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl site</c>: the OpenStack clouds the service works with (cloud admins).</summary>
public static class SiteCommands
{
    static readonly Column[] Columns =
    [
        Column.Of("ID", "id"), Column.Of("Name", "name"), Column.Of("Auth URL", "auth_url"), Column.Of("Region", "region_name"),
        Column.Of("Auth type", "auth_type"),
        new("Last check", s => Cells.At(s, "last_check") is { } c ? $"{(Cells.At(c, "ok")?.GetValue<bool>() == true ? "ok" : "failed")} {Cells.String(c, "checked_at")}" : "never"),
    ];

    public static Command Build(CommandBuilder b)
    {
        var name = new Option<string?>("--name") { Description = "Only the site with this name" };
        var list = b.Command("list", "List sites", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            c.Output.List(await api.ListAsync("sites", "sites", new Dictionary<string, string?> { ["name"] = c.Get(name) }, ct), Columns);
            return ExitCodes.Ok;
        }, name);

        var site = CommandBuilder.Id("site", "Site name or id");
        var show = b.Command("show", "Show a site", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "sites", "site", c.Get(site), ct);
            c.Output.Show(Resolver.Unwrap(await api.GetAsync($"sites/{id}", ct), "site"));
            return ExitCodes.Ok;
        }, site);

        var fields = new SiteFields();
        var newName = CommandBuilder.Id("name", "Name of the new site");
        var create = b.Command("create", "Register a site (its Keystone and the service account's credential)", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var body = fields.Read(c).Put("name", c.Get(newName));
            var created = Resolver.Unwrap(await api.PostAsync("sites", new JsonObject { ["site"] = body }, ct), "site");
            c.Output.Done($"Site {created["name"]} created with id {created["id"]}.", created);
            return ExitCodes.Ok;
        }, [newName, .. fields.Options]);

        var update = new SiteFields();
        var rename = new Option<string?>("--name") { Description = "New name" };
        var set = b.Command("set", "Change a site's fields or its credential", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "sites", "site", c.Get(site), ct);
            var body = update.Read(c).Put("name", c.Get(rename));
            if (body.Count == 0) throw CliException.Usage("site set needs at least one field to change.");
            var updated = Resolver.Unwrap(await api.PutAsync($"sites/{id}", new JsonObject { ["site"] = body }, ct), "site");
            c.Output.Done($"Site {updated["name"]} updated.", updated);
            return ExitCodes.Ok;
        }, [site, rename, .. update.Options]);

        var delete = b.Command("delete", "Remove a site (it must have no arrays or protections)", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "sites", "site", c.Get(site), ct);
            await api.DeleteAsync($"sites/{id}", ct);
            c.Output.Done($"Site {c.Get(site)} deleted.", new JsonObject { ["deleted"] = id });
            return ExitCodes.Ok;
        }, site);

        var check = b.Command("check", "Queue a check that the service can log in to the site", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "sites", "site", c.Get(site), ct);
            var queued = Resolver.Unwrap(await api.PostAsync($"sites/{id}/action", new JsonObject { ["check"] = new JsonObject() }, ct), "check");
            c.Output.Done($"Check of site {c.Get(site)} queued (job {queued["job_id"]}); 'draasctl site show {c.Get(site)}' shows its last_check.", queued);
            return ExitCodes.Ok;
        }, site);

        return CommandBuilder.Group("site", "OpenStack clouds (sites) the service works with", list, show, create, set, delete, check);
    }

    /// <summary>The options create and set share; only what was given goes into the body.</summary>
    sealed class SiteFields
    {
        readonly Option<string?> _authUrl = new("--auth-url") { Description = "Keystone URL of the site" };
        readonly Option<string?> _region = new("--region") { Description = "Region name" };
        readonly Option<string?> _interface = new("--interface") { Description = "Catalog interface: public, internal or admin" };
        readonly Option<string?> _username = new("--username") { Description = "Service account user" };
        readonly Option<string?> _password = new("--password") { Description = "Service account password (write-only)" };
        readonly Option<string?> _userDomain = new("--user-domain") { Description = "User's domain (default Default)" };
        readonly Option<string?> _project = new("--project") { Description = "Service account's project" };
        readonly Option<string?> _projectDomain = new("--project-domain") { Description = "Project's domain (default Default)" };
        readonly Option<string?> _appCredId = new("--application-credential-id") { Description = "Application credential id (instead of a password)" };
        readonly Option<string?> _appCredSecret = new("--application-credential-secret") { Description = "Application credential secret (write-only)" };
        readonly Option<string?> _description = new("--description") { Description = "Free text" };
        readonly Option<bool?> _verifyTls = new("--verify-tls") { Description = "Verify the site's TLS certificates (true/false)" };
        readonly Option<string?> _probeUrl = new("--probe-url") { Description = "A probe agent inside the site's network that runs the health checks" };
        readonly Option<int?> _maxImports = new("--max-concurrent-imports") { Description = "Volume imports (Cinder manage) at once at this site, across all runs (1-1000, default 10)" };
        readonly Option<int?> _maxBoots = new("--max-concurrent-boots") { Description = "Server boots (Nova builds) at once at this site, across all runs (1-1000, default 10)" };

        public Option[] Options => [_authUrl, _region, _interface, _username, _password, _userDomain, _project, _projectDomain, _appCredId, _appCredSecret, _description, _verifyTls, _probeUrl, _maxImports, _maxBoots];

        public JsonObject Read(CommandContext c)
        {
            var body = new JsonObject()
                .Put("auth_url", c.Get(_authUrl)).Put("region_name", c.Get(_region)).Put("interface", c.Get(_interface))
                .Put("username", c.Get(_username)).Put("password", c.Get(_password)).Put("user_domain_name", c.Get(_userDomain))
                .Put("project_name", c.Get(_project)).Put("project_domain_name", c.Get(_projectDomain))
                .Put("application_credential_id", c.Get(_appCredId)).Put("application_credential_secret", c.Get(_appCredSecret))
                .Put("description", c.Get(_description)).Put("verify_tls", c.Get(_verifyTls)).Put("probe_url", c.Get(_probeUrl))
                .Put("max_concurrent_imports", c.Get(_maxImports)).Put("max_concurrent_boots", c.Get(_maxBoots));
            if (c.Get(_appCredSecret) is not null && c.Parsed.CommandResult.Command.Name == "create") body["auth_type"] = "v3applicationcredential";
            return body;
        }
    }
}
