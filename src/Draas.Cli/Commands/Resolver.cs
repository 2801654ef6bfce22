using System.Text.Json.Nodes;
using Draas.Cli.Http;

namespace Draas.Cli.Commands;

/// <summary>Lets an operator name a resource by its name or its id, as the openstack CLI does.</summary>
public static class Resolver
{
    /// <summary>The id of the <paramref name="what"/> called or numbered <paramref name="nameOrId"/>; exit 2 when none or several match.</summary>
    public static async Task<string> IdAsync(ApiClient api, string collection, string what, string nameOrId, CancellationToken ct)
    {
        if (Guid.TryParse(nameOrId, out var id)) return id.ToString();
        var items = await api.ListAsync(collection, collection, new Dictionary<string, string?>(), ct);
        var matches = items.Where(i => i?["name"]?.GetValue<string>() == nameOrId).ToList();
        return matches.Count switch
        {
            1 => matches[0]!["id"]!.GetValue<string>(),
            0 => throw CliException.Usage($"No {what} is named or has the id '{nameOrId}'."),
            _ => throw CliException.Usage($"{matches.Count} {collection} are named '{nameOrId}'; give the id instead."),
        };
    }

    public static async Task<string?> OptionalIdAsync(ApiClient api, string collection, string what, string? nameOrId, CancellationToken ct) =>
        nameOrId is null ? null : await IdAsync(api, collection, what, nameOrId, ct);

    /// <summary>Names by id of every item of <paramref name="collection"/> the caller may see: tables name what they show.
    /// A list the caller may not read leaves the ids as they are.</summary>
    public static async Task<Dictionary<string, string>> NamesAsync(ApiClient api, string collection, CancellationToken ct)
    {
        try
        {
            return (await api.ListAsync(collection, collection, new Dictionary<string, string?>(), ct)).OfType<JsonObject>()
                .Where(i => i["id"] is not null && i["name"] is not null)
                .ToDictionary(i => i["id"]!.ToString(), i => i["name"]!.ToString());
        }
        catch (CliException)
        {
            return [];
        }
    }

    /// <summary>The body's one member (<c>{"site": {...}}</c> → <c>{...}</c>).</summary>
    public static JsonObject Unwrap(JsonObject? body, string member) =>
        body?[member] as JsonObject ?? throw CliException.Failure($"The service answered without a '{member}' object.");
}
