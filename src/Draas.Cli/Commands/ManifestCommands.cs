using System.CommandLine;
using System.Text.Json.Nodes;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl manifest</c>: the captured tenant metadata of a plan, newest first, and its drift.</summary>
public static class ManifestCommands
{
    public static Command Build(CommandBuilder b)
    {
        var plan = CommandBuilder.Id("plan", "Plan name or id");
        var list = b.Command("list", "List a plan's manifests, newest first", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            var manifests = (await api.GetAsync($"plans/{id}/manifests", ct))["manifests"] as JsonArray ?? [];
            c.Output.List(manifests, Column.Of("Sequence", "sequence"), Column.Of("Captured at", "captured_at"), Column.Of("SHA-256", "content_hash"));
            return ExitCodes.Ok;
        }, plan);

        var sequence = new Argument<int>("sequence") { Description = "Manifest number (from manifest list)" };
        var diff = new Option<int?>("--diff") { Description = "Show what changed since this older manifest instead" };
        var show = b.Command("show", "Show a manifest, or with --diff N what changed from manifest N", async (c, ct) =>
        {
            var api = await c.ApiAsync(ct);
            var id = await Resolver.IdAsync(api, "plans", "plan", c.Get(plan), ct);
            if (c.Get(diff) is { } older)
            {
                var changes = Resolver.Unwrap(await api.GetAsync($"plans/{id}/manifests/{c.Get(sequence)}?diff={older}", ct), "diff");
                if (c.Output.IsTable) c.Output.List(DiffRows(changes["changes"] as JsonObject ?? []), Column.Of("Collection", "collection"), Column.Of("Added", "added"), Column.Of("Removed", "removed"), Column.Of("Changed", "changed"));
                else c.Output.Data(changes);
                return ExitCodes.Ok;
            }
            var manifest = Resolver.Unwrap(await api.GetAsync($"plans/{id}/manifests/{c.Get(sequence)}", ct), "manifest");
            c.Output.Show(c.Output.IsTable ? Summary(manifest) : manifest);
            return ExitCodes.Ok;
        }, plan, sequence, diff);

        return CommandBuilder.Group("manifest", "Captured tenant metadata and its drift", list, show);
    }

    /// <summary>A manifest's content is long; the table shows how many of each thing it holds (-f json shows all).</summary>
    static JsonObject Summary(JsonObject manifest)
    {
        var summary = new JsonObject { ["sequence"] = manifest["sequence"]?.DeepClone(), ["captured_at"] = manifest["captured_at"]?.DeepClone(), ["content_hash"] = manifest["content_hash"]?.DeepClone() };
        if (manifest["content"] is JsonObject content)
        {
            foreach (var (key, value) in content) summary[key] = value is JsonArray items ? $"{items.Count}" : Cells.Text(value);
        }
        return summary;
    }

    static JsonArray DiffRows(JsonObject diff) => new([.. diff.Select(kv => (JsonNode)new JsonObject
    {
        ["collection"] = kv.Key,
        ["added"] = Cells.Text(kv.Value?["added"]),
        ["removed"] = Cells.Text(kv.Value?["removed"]),
        ["changed"] = string.Join(", ", (kv.Value?["changed"] as JsonArray ?? []).Select(ch => $"{ch?["id"] ?? ch?["name"]} ({Cells.Text(ch?["fields"])})")),
    })]);
}
