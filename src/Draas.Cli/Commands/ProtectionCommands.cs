using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl protection</c>: tenants enrolled for DR, with their recovery site, RPO target and drill schedule.</summary>
public static class ProtectionCommands
{
    static readonly Column[] Columns =
    [
        Column.Of("ID", "id"), Column.Of("Name", "name"), Column.Of("Project", "primary_project_id"), Column.Of("Status", "status"),
        Column.Of("RPO target (s)", "rpo_target_seconds"), Column.Of("Drill schedule", "drill_schedule"),
    ];

    public static Command Build(CommandBuilder b)
    {
        var project = new Option<string?>("--project") { Description = "Only this primary project's protections" };
        var list = b.Command("list", "List protections", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            c.Output.List(await api.ListAsync("protections", "protections", new Dictionary<string, string?> { ["project_id"] = c.Get(project) }, ct), Columns);
            return ExitCodes.Ok;
        }, project);

        var protection = CommandBuilder.Id("protection", "Protection name or id");
        var show = b.Command("show", "Show a protection", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "protections", "protection", c.Get(protection), ct);
            c.Output.Show(Resolver.Unwrap(await api.GetAsync($"protections/{id}", ct), "protection"));
            return ExitCodes.Ok;
        }, protection);

        var fields = new ProtectionFields();
        var newName = CommandBuilder.Id("name", "Name of the new protection");
        var create = b.Command("create", "Enrol a tenant (a primary-site project) for DR", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var body = (await fields.ReadAsync(c, api, ct)).Put("name", c.Get(newName));
            var created = Resolver.Unwrap(await api.PostAsync("protections", new JsonObject { ["protection"] = body }, ct), "protection");
            c.Output.Done($"Protection {created["name"]} created with id {created["id"]}.", created);
            return ExitCodes.Ok;
        }, [newName, .. fields.Options]);

        var update = new ProtectionFields();
        var rename = new Option<string?>("--name") { Description = "New name" };
        var set = b.Command("set", "Change a protection", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "protections", "protection", c.Get(protection), ct);
            var body = (await update.ReadAsync(c, api, ct)).Put("name", c.Get(rename));
            if (body.Count == 0) throw CliException.Usage("protection set needs at least one field to change.");
            var updated = Resolver.Unwrap(await api.PutAsync($"protections/{id}", new JsonObject { ["protection"] = body }, ct), "protection");
            c.Output.Done($"Protection {updated["name"]} updated.", updated);
            return ExitCodes.Ok;
        }, [protection, rename, .. update.Options]);

        var delete = b.Command("delete", "Remove a protection", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "protections", "protection", c.Get(protection), ct);
            await api.DeleteAsync($"protections/{id}", ct);
            c.Output.Done($"Protection {c.Get(protection)} deleted.", new JsonObject { ["deleted"] = id });
            return ExitCodes.Ok;
        }, protection);

        return CommandBuilder.Group("protection", "Tenants enrolled for disaster recovery", list, show, create, set, delete);
    }

    sealed class ProtectionFields
    {
        readonly Option<string?> _primarySite = new("--primary-site") { Description = "Site the tenant runs at (name or id)" };
        readonly Option<string?> _primaryProject = new("--primary-project") { Description = "The tenant's project id at the primary site" };
        readonly Option<string?> _recoverySite = new("--recovery-site") { Description = "Site to recover to (name or id)" };
        readonly Option<string?> _recoveryProject = new("--recovery-project") { Description = "Project id at the recovery site" };
        readonly Option<string?> _rpo = new("--rpo") { Description = "RPO target: seconds, or 15m, 1h" };
        readonly Option<string?> _drill = new("--drill-schedule") { Description = "Drill schedule, cron (e.g. '0 3 * * 6')" };
        readonly Option<string[]> _networks = new("--network-map") { Description = "PRIMARY_NET=RECOVERY_NET (repeatable)" };
        readonly Option<string[]> _contacts = new("--contact") { Description = "Who to tell (repeatable)" };
        readonly Option<string?> _webhook = new("--webhook") { Description = "URL told about runs" };

        public Option[] Options => [_primarySite, _primaryProject, _recoverySite, _recoveryProject, _rpo, _drill, _networks, _contacts, _webhook];

        public async Task<JsonObject> ReadAsync(CommandContext c, Http.ApiClient api, CancellationToken ct)
        {
            JsonObject? networks = null;
            if (c.Get(_networks) is { Length: > 0 } pairs)
            {
                networks = [];
                foreach (var pair in pairs)
                {
                    var (from, to) = Inputs.KeyValue("--network-map", pair);
                    networks[from] = to;
                }
            }
            return new JsonObject()
                .Put("primary_site_id", await Resolver.OptionalIdAsync(api, "sites", "site", c.Get(_primarySite), ct))
                .Put("primary_project_id", c.Get(_primaryProject))
                .Put("recovery_site_id", await Resolver.OptionalIdAsync(api, "sites", "site", c.Get(_recoverySite), ct))
                .Put("recovery_project_id", c.Get(_recoveryProject))
                .Put("rpo_target_seconds", c.Get(_rpo) is { } rpo ? Inputs.Seconds("--rpo", rpo) : null)
                .Put("drill_schedule", c.Get(_drill))
                .Put("network_mapping", networks)
                .Put("contacts", c.Get(_contacts) is { Length: > 0 } contacts ? Inputs.Strings(contacts) : null)
                .Put("webhook_url", c.Get(_webhook));
        }
    }
}
