using Draas.Domain.Protection;

namespace Draas.Workflows.Runs.Steps;

/// <summary>A replication group's last sync before a planned migration's switch (replicate_now, demote_source).</summary>
public sealed record LastSyncInput(Guid GroupId, ReplicationMode Mode);

public sealed record ReplicateNowOutput(ChosenPoint RecoveryPoint);

public sealed record DemoteSourceOutput(ChosenPoint RecoveryPoint, bool Quiesced, string? Undo, IReadOnlyList<string> Changes);

/// <summary>One volume to promote on the recovery array, with where the planner found it (nulls: not protected, preflight says why).</summary>
public sealed record PromoteVolumeInput(
    string VolumeId,
    string? Name = null,
    int SizeGib = 0,
    Guid? GroupId = null,
    string? Group = null,
    string? SourceArray = null,
    string? TargetArray = null,
    string? ArrayVolume = null,
    ReplicationMode? Mode = null,
    string? Purpose = null);

/// <summary>The recovery array's copy of a volume and how the recovery site's Cinder finds it (absent in steps
/// recorded before plugins said so).</summary>
public sealed record PromoteVolumeOutput(string ArrayVolume, IReadOnlyDictionary<string, string>? ManageRef, int SizeGib, ChosenPoint RecoveryPoint, bool CreatedNow);

public sealed record ImportVolumeInput(string VolumeId, string? Name = null, string? VolumeType = null, bool Bootable = false, string? Host = null);

public sealed record ImportVolumeOutput(string VolumeId, string? Name, int SizeGib, string? Host, string? VolumeType, string FromArrayVolume);
