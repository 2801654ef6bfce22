using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.Plugins.Ceph;

internal static class RbdJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>rbd prints snapshot times as ctime(3) in the process's zone (UTC here: the CLI runs with TZ=UTC).</summary>
    public static DateTimeOffset ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DateTimeOffset.MinValue;
        var collapsed = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return DateTimeOffset.TryParseExact(collapsed, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : DateTimeOffset.MinValue;
    }
}

internal sealed record RbdImageInfo(string Name, string Id, long Size, List<string>? Features, RbdMirroring? Mirroring);

internal sealed record RbdMirroring(string? Mode, string? State, string? GlobalId, bool Primary);

internal sealed record RbdSnapshot(long Id, string Name, long Size, string? Timestamp, RbdSnapNamespace? Namespace)
{
    public DateTimeOffset Time => RbdJson.ParseTime(Timestamp);
    /// <summary>A mirror snapshot copied from the peer whole: a recovery point here.</summary>
    public bool IsCompleteReplica => Namespace is { Type: "mirror", Complete: true, State: "non-primary" or "demoted" } && Namespace.PrimarySnapId is not null;
    public bool IsPrimaryMirror => Namespace is { Type: "mirror", State: "primary" or "demoted" } && Namespace.PrimarySnapId is null;
}

internal sealed record RbdSnapNamespace(string? Type, string? State, bool? Complete, long? PrimarySnapId,
    [property: JsonPropertyName("mirror_peer_uuids")] List<string>? MirrorPeerUuids);

internal sealed record RbdPoolMirrorInfo(string? Mode, string? SiteName, List<RbdPeer>? Peers);

internal sealed record RbdPeer(string? Uuid, string? Direction, string? SiteName, string? MirrorUuid);

internal sealed record RbdImageStatus(string? Name, string? GlobalId, string? State, string? Description, List<RbdPeerStatus>? PeerSites);

internal sealed record RbdPeerStatus(string? SiteName, string? State, string? Description);

internal sealed record RbdSchedule(string? Pool, string? Image, List<RbdScheduleItem>? Items);

internal sealed record RbdScheduleItem(string? Interval, string? StartTime);

internal sealed record CephDf(CephDfStats? Stats);

internal sealed record CephDfStats(long TotalBytes, long TotalUsedRawBytes);
