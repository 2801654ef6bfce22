namespace Draas.Storage;

public enum PromotePurpose
{
    /// <summary>A real recovery: the recovered volume becomes the tenant's volume.</summary>
    Failover,
    /// <summary>A test recovery: an independent copy that never disturbs replication, released afterwards.</summary>
    Drill,
}

/// <summary>Promote one volume of a group at the recovery array. <paramref name="RunId"/> makes the
/// result's name deterministic, so asking twice finds the first answer instead of making a second copy.
/// <paramref name="RecoveryPointId"/> null means the newest recovery point.</summary>
public sealed record PromoteRequest(
    ReplicationGroupRef Group,
    string SourceVolume,
    string RunId,
    PromotePurpose Purpose,
    string? RecoveryPointId = null);

/// <summary>A volume on the recovery array ready for the recovery site's Cinder to import.</summary>
public sealed record PromotedVolume(
    string ArrayVolumeName,
    long SizeBytes,
    RecoveryPoint RecoveryPoint,
    bool CreatedNow)
{
    /// <summary>Cinder sizes are whole GiB, rounded up as Cinder's manage_existing does.</summary>
    public int SizeGiB => (int)((SizeBytes + (1L << 30) - 1) >> 30);
}

/// <summary>What a demote (planned migration with quiesce, or disaster without) left behind.</summary>
public sealed record DemoteResult(ReplicationGroupRef Group, bool Quiesced, string? UndoName, IReadOnlyList<string> Changes);
