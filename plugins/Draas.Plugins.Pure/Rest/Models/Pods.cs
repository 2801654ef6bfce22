namespace Draas.Plugins.Pure.Rest.Models;

public sealed record PodArray(string? Id, string Name, string? Status, string? MediatorStatus, long? FrozenAt, double? Progress);

public sealed record Pod(
    string? Id,
    string Name,
    bool Destroyed,
    string? PromotionStatus,
    string? RequestedPromotionState,
    int? ArrayCount,
    IReadOnlyList<PodArray>? Arrays);

public sealed record PodPatch(string? RequestedPromotionState = null, bool? Destroyed = null);

public sealed record PodReplicaLink(
    string? Id,
    string? Direction,
    long? Lag,
    long? RecoveryPoint,
    NamedRef LocalPod,
    NamedRef RemotePod,
    IReadOnlyList<NamedRef>? Remotes,
    bool Paused,
    string? Status);
