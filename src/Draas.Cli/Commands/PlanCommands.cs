using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl plan</c>: protected workloads inside an enrolled tenant, and capturing them now.</summary>
public static class PlanCommands
{
    /// <summary>The protection by name (the API gives its id).</summary>
    static Column[] Columns(Dictionary<string, string> protections) =>
    [
        Column.Of("ID", "id"), Column.Of("Name", "name"),
        new("Protection", p => Cells.String(p, "protection_id") is { } id ? protections.GetValueOrDefault(id) ?? id : ""), Column.Of("State", "state"), Column.Of("Status", "status"),
        Column.Of("Replication", "replication.mode"),
        new("Resources", p => Cells.At(p, "resources") is JsonArray r && r.Count > 0 ? r.Count.ToString() : Cells.At(p, "selector") is null ? "0" : "selector"),
    ];

    public static Command Build(CommandBuilder b)
    {
        var protectionFilter = new Option<string?>("--protection") { Description = "Only the plans of this protection (name or id)" };
        var list = b.Command("list", "List plans", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var protection = await Resolver.OptionalIdAsync(api, "protections", "protection", c.Get(protectionFilter), ct);
            var plans = await api.ListAsync("plans", "plans", new Dictionary<string, string?> { ["protection_id"] = protection }, ct);
            if (c.Output.IsTable) c.Output.List(plans, Columns(await Resolver.NamesAsync(api, "protections", ct)));
            else c.Output.Data(plans);
            return ExitCodes.Ok;
        }, protectionFilter);

        var plan = CommandBuilder.Id("plan", "Plan name or id");
        var show = b.Command("show", "Show a plan", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            c.Output.Show(Resolver.Unwrap(await api.GetAsync($"plans/{id}", ct), "plan"));
            return ExitCodes.Ok;
        }, plan);

        var fields = new PlanFields();
        var protection = new Option<string>("--protection") { Description = "The protection (tenant) the plan belongs to (name or id)", Required = true };
        var newName = CommandBuilder.Id("name", "Name of the new plan");
        var create = b.Command("create", "Create a plan: what to protect and how to replicate it", async (c, ct) =>
        {
            var body = fields.Read(c).Put("name", c.Get(newName));
            var api = await c.ApiAsync(ct);
            body["protection_id"] = await Resolver.IdAsync(api, "protections", "protection", c.Get(protection), ct);
            var created = Resolver.Unwrap(await api.PostAsync("plans", new JsonObject { ["plan"] = body }, ct), "plan");
            c.Output.Done($"Plan {created["name"]} created with id {created["id"]}.", created);
            return ExitCodes.Ok;
        }, [newName, protection, .. fields.Options]);

        var update = new PlanFields();
        var rename = new Option<string?>("--name") { Description = "New name" };
        var set = b.Command("set", "Change a plan (resources given replace the plan's list)", async (c, ct) =>
        {
            var body = update.Read(c).Put("name", c.Get(rename));
            if (body.Count == 0) throw CliException.Usage("plan set needs at least one field to change.");
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            var updated = Resolver.Unwrap(await api.PutAsync($"plans/{id}", new JsonObject { ["plan"] = body }, ct), "plan");
            c.Output.Done($"Plan {updated["name"]} updated.", updated);
            return ExitCodes.Ok;
        }, [plan, rename, .. update.Options]);

        var delete = b.Command("delete", "Remove a plan", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            await api.DeleteAsync($"plans/{id}", ct);
            c.Output.Done($"Plan {c.Get(plan)} deleted.", new JsonObject { ["deleted"] = id });
            return ExitCodes.Ok;
        }, plan);

        var capture = b.Command("capture", "Capture the tenant and reconcile replication now, not at the next cycle", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            var queued = Resolver.Unwrap(await api.PostAsync($"plans/{id}/action", new JsonObject { ["capture"] = new JsonObject() }, ct), "capture");
            c.Output.Done($"Capture of plan {c.Get(plan)} queued (job {queued["job_id"]}); 'draasctl manifest list {c.Get(plan)}' shows the result.", queued);
            return ExitCodes.Ok;
        }, plan);

        return CommandBuilder.Group("plan", "Protected workloads: resources, replication, boot order, health checks", list, show, create, set, delete, capture);
    }

    sealed class PlanFields
    {
        readonly Option<string?> _description = new("--description") { Description = "Free text" };
        readonly Option<string?> _mode = new("--replication") { Description = "Replication mode: async, sync (ActiveCluster) or continuous (ActiveDR)" };
        readonly Option<string?> _interval = new("--interval") { Description = "Async replication interval: seconds, or 5m" };
        readonly Option<int?> _retention = new("--retention") { Description = "Recovery points kept" };
        readonly Option<string[]> _servers = new("--server") { Description = "Server name or id, or NAME:GROUP for its priority group (repeatable)" };
        readonly Option<string[]> _volumes = new("--volume") { Description = "Volume name or id, or NAME:GROUP (repeatable)" };
        readonly Option<string[]> _images = new("--image") { Description = "Image id (repeatable)" };
        readonly Option<string?> _selector = new("--selector") { Description = "JSON selector, e.g. '{\"volume_metadata\": {\"draas:protect\": \"true\"}}' (or @FILE)" };
        readonly Option<string[]> _healthChecks = new("--health-check") { Description = "JSON health check, e.g. '{\"server\": \"web\", \"type\": \"http\", \"port\": 80}' (repeatable, or @FILE)" };
        readonly Option<string?> _hooks = new("--hooks") { Description = "JSON list of hooks (or @FILE)" };
        readonly Option<string?> _recovery = new("--recovery-options") { Description = "JSON defaults for every run of the plan, e.g. '{\"az_mapping\": {\"az1\": \"az-b\"}, \"floating_ips\": true}' (or @FILE)" };

        readonly Option<string?> _canary = new("--canary") { Description = "The workload's data canary: SERVER[:PORT][/PATH], e.g. web:80/canary (drills and planned migrations prove their data with it); none removes it" };

        public Option[] Options => [_description, _mode, _interval, _retention, _servers, _volumes, _images, _selector, _healthChecks, _hooks, _recovery, _canary];

        public JsonObject Read(CommandContext c)
        {
            if (c.Get(_mode) is { } m && m is not ("async" or "sync" or "continuous")) throw CliException.Usage($"--replication takes async, sync or continuous, not '{m}'.");
            var replication = new JsonObject()
                .Put("mode", c.Get(_mode))
                .Put("interval_seconds", c.Get(_interval) is { } i ? Inputs.Seconds("--interval", i) : null)
                .Put("retention", c.Get(_retention));
            var resources = new JsonArray();
            foreach (var (kind, option, values) in new[] { ("server", "--server", c.Get(_servers)), ("volume", "--volume", c.Get(_volumes)), ("image", "--image", c.Get(_images)) })
            {
                foreach (var value in values ?? [])
                {
                    var (id, group) = Inputs.WithGroup(option, value);
                    resources.Add(new JsonObject { ["kind"] = kind, ["id"] = id }.Put("priority_group", group));
                }
            }
            var checks = c.Get(_healthChecks) is { Length: > 0 } raw ? new JsonArray([.. raw.Select(h => (JsonNode)Inputs.JsonObject("--health-check", h))]) : null;
            JsonNode? hooks = c.Get(_hooks) is { } h ? Inputs.Json("--hooks", h) : null;
            if (hooks is not null and not JsonArray) throw CliException.Usage("--hooks must be a JSON list ([...]).");
            return new JsonObject()
                .Put("description", c.Get(_description))
                .Put("replication", replication.Count > 0 ? replication : null)
                .Put("resources", resources.Count > 0 ? resources : null)
                .Put("selector", c.Get(_selector) is { } s ? Inputs.JsonObject("--selector", s) : null)
                .Put("health_checks", checks)
                .Put("hooks", hooks)
                .Put("recovery_options", c.Get(_recovery) is { } r ? Inputs.JsonObject("--recovery-options", r) : null)
                .Put("canary", c.Get(_canary) is { } k ? Canary(k) : null);
        }

        /// <summary><c>web</c>, <c>web:8080</c>, <c>web:80/canary</c> or <c>web/canary</c>; <c>none</c> is <c>{}</c> (no canary).</summary>
        static JsonObject Canary(string value)
        {
            if (value == "none") return [];
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            var (head, path) = slash < 0 ? (value, null) : (value[..slash], value[slash..]);
            var colon = head.LastIndexOf(':');
            var (server, port) = colon < 0 ? (head, (int?)null)
                : int.TryParse(head[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var p) ? (head[..colon], p)
                : throw CliException.Usage($"--canary takes SERVER[:PORT][/PATH], e.g. web:80/canary; '{head[(colon + 1)..]}' is not a port.");
            if (server.Length == 0) throw CliException.Usage("--canary names the server first, e.g. web:80/canary.");
            return new JsonObject { ["server"] = server }.Put("port", port).Put("path", path);
        }
    }
}
