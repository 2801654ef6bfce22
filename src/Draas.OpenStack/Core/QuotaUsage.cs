using System.Text.Json;

namespace Draas.OpenStack.Core;

/// <summary>
/// One quota and what the project already holds of it, as Nova's <c>os-quota-sets/{project}/detail</c> and
/// Cinder's <c>os-quota-sets/{project}?usage=True</c> answer. A limit of -1 is unlimited.
/// </summary>
public sealed record QuotaUsage(int Limit, int InUse, int Reserved)
{
    /// <summary>What is left to take, or null when unlimited.</summary>
    public int? Free => Limit < 0 ? null : Math.Max(0, Limit - InUse - Reserved);

    /// <summary>The quota set's entries that carry usage (Nova also sends the project's "id").</summary>
    internal static IReadOnlyDictionary<string, QuotaUsage> From(Dictionary<string, JsonElement> set) =>
        set.Where(kv => kv.Value.ValueKind == JsonValueKind.Object).ToDictionary(kv => kv.Key, kv => new QuotaUsage(
            Number(kv.Value, "limit"), Number(kv.Value, "in_use"), Number(kv.Value, "reserved")));

    private static int Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;
}
