using Draas.Domain.Runs;

namespace Draas.Workflows.Runs.Steps;

/// <summary>What preflight checks: the run's kind, and whether the primary must answer (a failover may go on without it).</summary>
public sealed record PreflightInput(RunKind Kind, bool PrimaryRequired = true);

/// <summary>What preflight found: the project the run recovers into, each replication group's chosen point
/// (by group id), the recovery network of each mapped network (by the primary's name and id), a drill's
/// inventory of the tenant's project before it, the stale holds it released, and the recovery site's
/// availability zones and the volume types the project may use (read once for every boot and import of the
/// run; null in runs from before they were recorded, whose steps list them each).</summary>
public sealed record PreflightOutput(
    string? TargetProjectId,
    Dictionary<string, ChosenPoint> RecoveryPoints,
    Dictionary<string, string> Networks,
    List<string> Warnings,
    Inventory? InventoryBefore,
    List<string> StaleHoldsReleased,
    List<string>? AvailabilityZones = null,
    List<string>? VolumeTypes = null);

/// <summary>A recovery point a step chose or made: its group and how many volumes the run holds it for, where known.</summary>
public sealed record ChosenPoint(string Id, DateTimeOffset Time, string? Group = null, int? Held = null);
