using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Domain.Manifests;

/// <summary>The one canonical JSON form of a manifest, its content hash, and the structured diff of two.</summary>
public static class ManifestCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
    };

    /// <summary>Lists are sorted by id and dictionaries by key, so equal content is equal text.</summary>
    public static string ToJson(ManifestContent content) => JsonSerializer.Serialize(content with
    {
        Servers = [.. content.Servers.OrderBy(s => s.Id, StringComparer.Ordinal)],
        Volumes = [.. content.Volumes.OrderBy(v => v.Id, StringComparer.Ordinal)],
        Images = [.. content.Images.OrderBy(i => i.Id, StringComparer.Ordinal)],
        Keypairs = [.. content.Keypairs.OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.UserId, StringComparer.Ordinal)],
        TenantNetworks = [.. content.TenantNetworks.OrderBy(n => n.Id, StringComparer.Ordinal)],
        Subnets = [.. content.Subnets.OrderBy(n => n.Id, StringComparer.Ordinal)],
        Routers = [.. content.Routers.OrderBy(n => n.Id, StringComparer.Ordinal)],
        SecurityGroups = [.. content.SecurityGroups.OrderBy(n => n.Id, StringComparer.Ordinal)],
        FloatingIps = [.. content.FloatingIps.OrderBy(n => n.Id, StringComparer.Ordinal)],
        ServerGroups = [.. content.ServerGroups.OrderBy(n => n.Id, StringComparer.Ordinal)],
        VolumeTypes = [.. content.VolumeTypes.OrderBy(n => n.Name, StringComparer.Ordinal)],
    }, Options);

    public static ManifestContent FromJson(string json) =>
        JsonSerializer.Deserialize<ManifestContent>(json, Options) ?? throw new InvalidDataException("an empty manifest");

    public static string Hash(string canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));

    /// <summary>Per collection: what appeared, what went away, and which fields changed on what stayed.</summary>
    public static JsonObject Diff(string olderJson, string newerJson)
    {
        var older = JsonNode.Parse(olderJson)!.AsObject();
        var newer = JsonNode.Parse(newerJson)!.AsObject();
        var result = new JsonObject();
        foreach (var (collection, key) in new[]
        {
            ("servers", "id"), ("volumes", "id"), ("images", "id"), ("keypairs", "name"), ("tenant_networks", "id"), ("subnets", "id"),
            ("routers", "id"), ("security_groups", "id"), ("floating_ips", "id"), ("server_groups", "id"), ("volume_types", "name"),
        })
        {
            var before = Index(older[collection], key);
            var after = Index(newer[collection], key);
            var changed = new JsonArray();
            foreach (var (id, node) in after.Where(a => before.ContainsKey(a.Key)))
            {
                var fields = node.AsObject().Select(p => p.Key)
                    .Union(before[id].AsObject().Select(p => p.Key))
                    .Where(f => !JsonNode.DeepEquals(node[f], before[id][f]))
                    .Order(StringComparer.Ordinal).ToList();
                if (fields.Count > 0) changed.Add(new JsonObject { [key] = id, ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]) });
            }
            result[collection] = new JsonObject
            {
                ["added"] = new JsonArray([.. after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]),
                ["removed"] = new JsonArray([.. before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]),
                ["changed"] = changed,
            };
        }
        return result;
    }

    public static bool IsEmpty(JsonObject diff) =>
        diff.All(c => c.Value!["added"]!.AsArray().Count == 0 && c.Value["removed"]!.AsArray().Count == 0 && c.Value["changed"]!.AsArray().Count == 0);

    private static Dictionary<string, JsonNode> Index(JsonNode? list, string key) =>
        list?.AsArray().Where(n => n is not null).ToDictionary(n => n![key]!.GetValue<string>(), n => n!) ?? [];
}
