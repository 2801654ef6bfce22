using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl array</c>: storage arrays, their plugin, Cinder backend and replication peer (cloud admins).</summary>
public static class ArrayCommands
{
    /// <summary>The site and the peer by name (the API gives their ids).</summary>
    static Column[] Columns(Dictionary<string, string> sites, Dictionary<string, string> arrays) =>
    [
        Column.Of("ID", "id"), Column.Of("Name", "name"), Column.Of("Plugin", "plugin"), Column.Of("URL", "endpoint"),
        Column.Of("Cinder backend", "cinder_backend"),
        new("Site", a => Cells.String(a, "site_id") is { } id ? sites.GetValueOrDefault(id) ?? id : ""),
        new("Peer", a => Cells.String(a, "peer_array_id") is { } id ? arrays.GetValueOrDefault(id) ?? id : ""),
    ];

    public static Command Build(CommandBuilder b)
    {
        var siteFilter = new Option<string?>("--site") { Description = "Only the arrays of this site (name or id)" };
        var list = b.Command("list", "List arrays", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var site = await Resolver.OptionalIdAsync(api, "sites", "site", c.Get(siteFilter), ct);
            var arrays = await api.ListAsync("arrays", "arrays", new Dictionary<string, string?> { ["site_id"] = site }, ct);
            if (c.Output.IsTable) c.Output.List(arrays, Columns(await Resolver.NamesAsync(api, "sites", ct), await Resolver.NamesAsync(api, "arrays", ct)));
            else c.Output.Data(arrays);
            return ExitCodes.Ok;
        }, siteFilter);

        var array = CommandBuilder.Id("array", "Array name or id");
        var show = b.Command("show", "Show an array", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "arrays", "array", c.Get(array), ct);
            c.Output.Show(Resolver.Unwrap(await api.GetAsync($"arrays/{id}", ct), "array"));
            return ExitCodes.Ok;
        }, array);

        var fields = new ArrayFields();
        var newName = CommandBuilder.Id("name", "Name of the new array");
        var create = b.Command("create", "Register an array", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var body = (await fields.ReadAsync(c, api, ct)).Put("name", c.Get(newName));
            var created = Resolver.Unwrap(await api.PostAsync("arrays", new JsonObject { ["array"] = body }, ct), "array");
            c.Output.Done($"Array {created["name"]} created with id {created["id"]}.", created);
            return ExitCodes.Ok;
        }, [newName, .. fields.Options]);

        var update = new ArrayFields();
        var rename = new Option<string?>("--name") { Description = "New name" };
        var set = b.Command("set", "Change an array's fields or its API token", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "arrays", "array", c.Get(array), ct);
            var body = (await update.ReadAsync(c, api, ct)).Put("name", c.Get(rename));
            if (body.Count == 0) throw CliException.Usage("array set needs at least one field to change.");
            var updated = Resolver.Unwrap(await api.PutAsync($"arrays/{id}", new JsonObject { ["array"] = body }, ct), "array");
            c.Output.Done($"Array {updated["name"]} updated.", updated);
            return ExitCodes.Ok;
        }, [array, rename, .. update.Options]);

        var delete = b.Command("delete", "Remove an array", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "arrays", "array", c.Get(array), ct);
            await api.DeleteAsync($"arrays/{id}", ct);
            c.Output.Done($"Array {c.Get(array)} deleted.", new JsonObject { ["deleted"] = id });
            return ExitCodes.Ok;
        }, array);

        var probe = b.Command("probe", "Ask the array's plugin whether the array answers, and what it has", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "arrays", "array", c.Get(array), ct);
            var answer = await api.PostAsync($"arrays/{id}/action", new JsonObject { ["probe"] = new JsonObject() }, ct);
            c.Output.Show(answer?["probe"] as JsonObject ?? answer ?? []);
            return ExitCodes.Ok;
        }, array);

        return CommandBuilder.Group("array", "Storage arrays and their replication peers", list, show, create, set, delete, probe);
    }

    sealed class ArrayFields
    {
        readonly Option<string?> _site = new("--site") { Description = "Site the array serves (name or id)" };
        readonly Option<string?> _plugin = new("--plugin") { Description = "Storage plugin, e.g. pure" };
        readonly Option<string?> _url = new("--url") { Description = "The array's management REST endpoint" };
        readonly Option<string?> _token = new("--api-token") { Description = "The array's API token (write-only)" };
        readonly Option<string?> _backend = new("--cinder-backend") { Description = "Cinder backend it serves, host@backend#pool" };
        readonly Option<string[]> _volumeTypes = new("--volume-type") { Description = "A Cinder volume type it serves (repeatable)", AllowMultipleArgumentsPerToken = false };
        readonly Option<string?> _peer = new("--peer") { Description = "The replication peer array (name or id)" };
        readonly Option<bool?> _verifyTls = new("--verify-tls") { Description = "Verify the array's TLS certificate (true/false)" };
        readonly Option<string?> _caBundle = new("--ca-bundle") { Description = "PEM file of the CA that signed the array's certificate" };

        readonly Option<int?> _maxCopies = new("--max-concurrent-copies") { Description = "Volume copies the array makes at once, across all runs (1-1000, default 10)" };

        public Option[] Options => [_site, _plugin, _url, _token, _backend, _volumeTypes, _peer, _verifyTls, _caBundle, _maxCopies];

        public async Task<JsonObject> ReadAsync(CommandContext c, Http.ApiClient api, CancellationToken ct)
        {
            string? ca = null;
            if (c.Get(_caBundle) is { } path)
                ca = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : throw CliException.Usage($"--ca-bundle: the file {path} does not exist.");
            return new JsonObject()
                .Put("site_id", await Resolver.OptionalIdAsync(api, "sites", "site", c.Get(_site), ct))
                .Put("plugin", c.Get(_plugin)).Put("endpoint", c.Get(_url)).Put("api_token", c.Get(_token))
                .Put("cinder_backend", c.Get(_backend))
                .Put("volume_types", c.Get(_volumeTypes) is { Length: > 0 } types ? Inputs.Strings(types) : null)
                .Put("peer_array_id", await Resolver.OptionalIdAsync(api, "arrays", "array", c.Get(_peer), ct))
                .Put("verify_tls", c.Get(_verifyTls)).Put("ca_bundle", ca).Put("max_concurrent_copies", c.Get(_maxCopies));
        }
    }
}
