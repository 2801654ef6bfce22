using System.Globalization;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>
/// Cinder's scheduler, as far as a volume type decides it: the CapabilitiesFilter
/// (<c>cinder/scheduler/filters/capabilities_filter.py</c>) matches each extra spec that is unscoped or scoped
/// <c>capabilities:</c> against what the pool reports, with the operators of
/// <c>cinder/scheduler/filters/extra_specs_ops.py</c>; other scopes (<c>replication_type</c> is not one, a
/// vendor's <c>purestorage:</c> is) are ignored. A key the pool does not report fails. No pool passing is
/// "No valid backend was found": a created volume ends in <c>error</c>, a managed one in <c>error_managing</c>.
/// </summary>
internal static class CapabilitiesFilter
{
    /// <summary>What a Pure pool reports besides its capacity figures (the driver's <c>_update_stats</c>).</summary>
    public static Dictionary<string, object?> Capabilities(VolumeBackend b) => new()
    {
        ["pool_name"] = b.Pool,
        ["volume_backend_name"] = b.BackendName,
        ["vendor_name"] = "Pure Storage",
        ["driver_version"] = "17.0.0",
        ["storage_protocol"] = "iSCSI",
        ["thin_provisioning_support"] = true,
        ["thick_provisioning_support"] = false,
        ["multiattach"] = true,
        ["QoS_support"] = true,
        ["replication_enabled"] = true,
        ["replication_type"] = new[] { "async", "sync" },
        ["replication_count"] = 1,
    };

    public static bool Passes(VolumeType type, VolumeBackend backend) => Unmet(type, backend) is null;

    /// <summary>The first extra spec of <paramref name="type"/> the pool does not satisfy, or null.</summary>
    public static string? Unmet(VolumeType type, VolumeBackend backend)
    {
        var capabilities = Capabilities(backend);
        foreach (var (key, wanted) in type.ExtraSpecs)
        {
            var scope = key.Split(':');
            if (scope.Length > 1 && scope[0] != "capabilities") continue;
            var name = scope[0] == "capabilities" ? string.Join(':', scope[1..]) : key;
            if (!capabilities.TryGetValue(name, out var value) || !Match(value, wanted)) return key;
        }
        return null;
    }

    private static bool Match(object? value, string requirement)
    {
        var words = requirement.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return Text(value) == requirement;
        var op = words[0];
        var rest = words.Skip(1).ToList();
        if (op == "<or>")
        {
            // "<or> a <or> b": the values sit at every other word.
            for (var i = 0; i < rest.Count; i += 2)
            {
                if (rest[i] == Text(value)) return true;
            }
            return false;
        }
        if (!Ops.Contains(op)) return Text(value) == requirement;
        if (value is null || rest.Count == 0) return false;
        var arg = rest[0];
        return op switch
        {
            "<is>" => value is bool b && b == arg.Equals("true", StringComparison.OrdinalIgnoreCase),
            "<in>" => value is string[] list ? list.Contains(arg) : Text(value).Contains(arg, StringComparison.Ordinal),
            "<all-in>" => rest.All(a => value is string[] l ? l.Contains(a) : Text(value).Contains(a, StringComparison.Ordinal)),
            "s==" => Text(value) == arg,
            "s!=" => Text(value) != arg,
            "s<" => string.CompareOrdinal(Text(value), arg) < 0,
            "s<=" => string.CompareOrdinal(Text(value), arg) <= 0,
            "s>" => string.CompareOrdinal(Text(value), arg) > 0,
            "s>=" => string.CompareOrdinal(Text(value), arg) >= 0,
            _ => Number(value) is { } x && double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && op switch
            {
                "=" or ">=" => x >= y,
                "==" => x == y,
                "!=" => x != y,
                "<=" => x <= y,
                _ => false,
            },
        };
    }

    private static readonly HashSet<string> Ops = ["=", "<in>", "<all-in>", "<is>", "==", "!=", ">=", "<=", "s==", "s!=", "s<", "s<=", "s>", "s>="];

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "True" : "False",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static double? Number(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
