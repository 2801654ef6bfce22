namespace Draas.Plugins.Ceph;

/// <summary>How the plugin names what it makes, and marks it (image metadata, which mirroring copies to the peer).</summary>
internal static class CephNames
{
    /// <summary>Image metadata naming the plan's group an image belongs to (RBD groups are not mirrored in Pacific).</summary>
    public const string GroupKey = "draas.group";
    /// <summary>On a drill copy: its own name, written when the copy is whole, so a renamed copy is still known as one.</summary>
    public const string DrillCopyKey = "draas.drill-copy";
    /// <summary>On a drill copy: the image and mirror snapshot it was copied from.</summary>
    public const string CopyOfKey = "draas.copy-of";
    /// <summary>On a promoted image: its name before the recovery site's Cinder renamed it (reverse finds the old primary by it).</summary>
    public const string SourceNameKey = "draas.source-name";

    public static string Group(string planKey) => $"draas-{planKey}";

    public static string DrillCopy(string runId, string sourceImage) => $"draas-drill-{runId}-{sourceImage}";

    public static bool IsDrillCopy(string name) => name.StartsWith("draas-drill-", StringComparison.Ordinal);

    /// <summary>Cinder's RBD driver keeps a volume as image <c>volume-&lt;name id&gt;</c> (volume_name_template).</summary>
    public static string CinderImage(string nameId) => $"volume-{nameId}";

    /// <summary>A recovery point of a group: the time every member had a complete replica at or before.</summary>
    public static string PointId(DateTimeOffset time) => $"rp-{time.ToUnixTimeSeconds()}";

    public static DateTimeOffset? PointTime(string? id) =>
        id is not null && id.StartsWith("rp-", StringComparison.Ordinal) && long.TryParse(id.AsSpan(3), out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>A schedule interval as rbd takes it: whole minutes (<c>5m</c>), hours when exact (<c>2h</c>).</summary>
    public static string Interval(TimeSpan interval) =>
        interval.TotalMinutes % 60 == 0 && interval.TotalHours >= 1 ? $"{(int)interval.TotalHours}h" : $"{(int)Math.Ceiling(interval.TotalMinutes)}m";

    public static TimeSpan? ParseInterval(string? text)
    {
        if (string.IsNullOrEmpty(text) || !int.TryParse(text.AsSpan(0, text.Length - 1), out var n)) return null;
        return text[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => null };
    }
}
