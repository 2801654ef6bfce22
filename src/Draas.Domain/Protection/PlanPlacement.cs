using Draas.Domain.Runs;

namespace Draas.Domain.Protection;

/// <summary>
/// Where a plan's workload runs now and where the other side of its replication is: the one answer to
/// "which site and project" that captures, member checks, runs and views all use. A tenant's plans move
/// independently, so this is the plan's, never the protection's.
/// </summary>
/// <param name="SiteId">The site the workload runs at now.</param>
/// <param name="ProjectId">Its project there.</param>
/// <param name="OtherSiteId">The other site of the protection: where it replicates to, or the site it left when failed over.</param>
/// <param name="OtherProjectId">The tenant's project at the other site (null when the protection has no recovery project).</param>
/// <param name="AtPrimary">The workload runs at the protection's primary site.</param>
/// <param name="FailedOver">Recovered and not replicating until a reprotect.</param>
public sealed record PlanPlacement(Guid SiteId, string ProjectId, Guid OtherSiteId, string? OtherProjectId, bool AtPrimary, bool FailedOver)
{
    /// <summary>The plan's replication points from the recovery site back to the primary: after a reprotect,
    /// and after a failover of a reprotected plan until the next reprotect turns it home.</summary>
    public bool Reversed => AtPrimary == FailedOver;

    public PlanState State => FailedOver ? PlanState.FailedOver : AtPrimary ? PlanState.Normal : PlanState.Reversed;

    public static PlanPlacement Of(TenantProtection protection, Plan plan)
    {
        var atPrimary = plan.RunsAtSiteId == protection.PrimarySiteId;
        return atPrimary
            ? new(plan.RunsAtSiteId, plan.RunsInProjectId, protection.RecoverySiteId, protection.RecoveryProjectId, true, plan.FailedOver)
            : new(plan.RunsAtSiteId, plan.RunsInProjectId, protection.PrimarySiteId, protection.PrimaryProjectId, false, plan.FailedOver);
    }

    /// <summary>A new plan runs where its tenant enrolled.</summary>
    public static void Home(Plan plan, TenantProtection protection)
    {
        plan.RunsAtSiteId = protection.PrimarySiteId;
        plan.RunsInProjectId = protection.PrimaryProjectId;
        plan.FailedOver = false;
    }

    /// <summary>Records that <paramref name="run"/> moved the plan's workload to a site and project.</summary>
    public static void Move(Plan plan, Guid siteId, string projectId, bool failedOver, Guid run)
    {
        plan.RunsAtSiteId = siteId;
        plan.RunsInProjectId = projectId;
        plan.FailedOver = failedOver;
        plan.StateRunId = run;
    }

    /// <summary>
    /// The site and project a run of this kind works from (source) and into (target). Every run starts
    /// where the workload runs and recovers to the other side, but for a reprotect of a failed-over plan:
    /// it fences the site the workload left and turns replication round towards it.
    /// </summary>
    public (Guid SiteId, string? ProjectId, Guid TargetSiteId, string? TargetProjectId) SidesFor(RunKind kind) =>
        kind == RunKind.Reprotect && FailedOver
            ? (OtherSiteId, OtherProjectId, SiteId, ProjectId)
            : (SiteId, ProjectId, OtherSiteId, OtherProjectId);

    /// <summary>Why the plan's state forbids a run of this kind; null when it may run. Checked when a run is
    /// created (a 409) and again by its preflight (the state may have changed while it queued).</summary>
    public string? Refusal(RunKind kind, string planName) => kind switch
    {
        RunKind.Drill or RunKind.Failover or RunKind.PlannedMigration when FailedOver =>
            $"plan {planName} is failed over (it runs at the other site and does not replicate): reprotect it before a {Words.Of(kind)}",
        RunKind.Reprotect when !FailedOver =>
            $"plan {planName} is not failed over: only a failed-over plan can be reprotected",
        RunKind.Failback when FailedOver =>
            $"plan {planName} is failed over and does not replicate back yet: reprotect it before a failback",
        RunKind.Failback when AtPrimary =>
            $"plan {planName} already runs at its primary site: nothing to fail back",
        _ => null,
    };

    private static class Words
    {
        public static string Of(RunKind kind) => kind switch
        {
            RunKind.PlannedMigration => "planned migration",
            _ => kind.ToString().ToLowerInvariant(),
        };
    }
}

/// <summary>A plan's state as the API and draasctl show it.</summary>
public enum PlanState
{
    /// <summary>Runs at the primary and replicates to the recovery site.</summary>
    Normal,

    /// <summary>Recovered at the other site; nothing replicates until a reprotect.</summary>
    FailedOver,

    /// <summary>Runs at the recovery site and replicates back to the primary (after a reprotect); a failback brings it home.</summary>
    Reversed,
}

/// <summary>A protection's roll-up of its plans' states.</summary>
public sealed record PlanStateRollUp(int Plans, int Normal, int FailedOver, int Reversed)
{
    public static PlanStateRollUp Of(IEnumerable<PlanPlacement> placements)
    {
        var states = placements.Select(p => p.State).ToList();
        return new(states.Count, states.Count(s => s == PlanState.Normal), states.Count(s => s == PlanState.FailedOver), states.Count(s => s == PlanState.Reversed));
    }

    /// <summary>failed_over when every plan is, partly_failed_over when some are, else the protection's own status.</summary>
    public string Status(ProtectionStatus own) =>
        FailedOver > 0 && FailedOver == Plans ? "failed_over" : FailedOver > 0 ? "partly_failed_over" : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(own.ToString());

    /// <summary>True when every plan replicates back to the primary.</summary>
    public bool AllReversed => Plans > 0 && Reversed == Plans;
}
