using System.Text.Json.Nodes;
using Draas.Domain.Protection;
using Draas.Domain.Runs;

namespace Draas.Api.V1;

// GET /v1/plans/{id}/status: where the plan runs, its replication against the RPO target, its drills.

public sealed record PlanStatusEnvelope(PlanStatusView Status);

/// <param name="State">protected, at_risk, violated, pending, error; failed_over once the plan runs at the recovery site.</param>
/// <param name="LagSeconds">The worst lag of the plan's groups; null when any is unknown (a clock that disagrees is unknown, said in warnings).</param>
/// <param name="RpoTier">within_target, exceeded (up to 2x), severely_exceeded (up to 4x), critical; unknown without a lag; null when failed over.</param>
/// <param name="LagHistory">With <c>?history=HOURS</c>: the worst lag per interval.</param>
/// <param name="PredictedRto">From the drills' per-step durations, scaled to the plan's size in its newest manifest.</param>
public sealed record PlanStatusView(Guid PlanId, string State, PlanState PlanState, PlanRunsAt RunsAt, string? ReplicatesTo, int RpoTargetSeconds,
    double? LagSeconds, string? RpoTier, LagHistory? LagHistory, DateTimeOffset? LatestRecoveryPointAt, IReadOnlyList<string> Warnings,
    JsonObject? PredictedRto, IEnumerable<DrillSummary> Drills, IEnumerable<GroupStatus> Groups);

public sealed record PlanRunsAt(Guid SiteId, string? Site, string ProjectId);

public sealed record LagHistory(DateTimeOffset From, DateTimeOffset To, double IntervalSeconds, IEnumerable<LagPoint> Points);
public sealed record LagPoint(DateTimeOffset At, double? LagSeconds);

/// <param name="Scheduled">Started by the plan's drill schedule rather than by a person.</param>
public sealed record DrillSummary(Guid RunId, RunState State, DateTimeOffset? FinishedAt, bool Scheduled, double? RtoSeconds);

public sealed record GroupStatus(string Name, string? SourceArray, string? TargetArray, ReplicationMode Mode, IReadOnlyList<string> Members,
    string? Health, double? LagSeconds, DateTimeOffset? LatestRecoveryPointAt, DateTimeOffset? CheckedAt);
