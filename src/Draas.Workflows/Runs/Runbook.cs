using System.Globalization;
using System.Text;
using Draas.Domain.Protection;
using Draas.Domain.Sites;

namespace Draas.Workflows.Runs;

/// <summary>
/// The tenant's DR runbook in Markdown, in the shape of seed 004's template: pre-recovery checklist, the
/// ordered steps a failover would take (the planner's own list, with the tenant's real names),
/// post-recovery actions and contacts. Generated, so it never drifts from what the service would do.
/// </summary>
public static class Runbook
{
    public sealed record PlanPart(Plan Plan, IReadOnlyList<StepSpec> Steps, int Servers, int Volumes, DateTimeOffset? ManifestAt);

    public static string Render(TenantProtection protection, Site primary, Site recovery, IReadOnlyList<PlanPart> plans, DateTimeOffset now)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.AppendLine(text);
        // Each plan runs where its own runs left it; the header says where the tenant's plans run.
        var placements = plans.Select(p => PlanPlacement.Of(protection, p.Plan)).ToList();
        var rollUp = PlanStateRollUp.Of(placements);
        var (from, to) = rollUp.Plans > 0 && placements.All(p => !p.AtPrimary) ? (recovery, primary) : (primary, recovery);
        Line($"# DR runbook: {protection.Name}");
        Line();
        Line(string.Create(CultureInfo.InvariantCulture, $"Generated {now:yyyy-MM-dd HH:mm} UTC from the service's current plans. Workload runs at **{from.Name}**, recovers to **{to.Name}**."));
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| Primary project | {protection.PrimaryProjectId} at {primary.Name} |");
        Line($"| Recovery project | {protection.RecoveryProjectId ?? "(not set)"} at {recovery.Name} |");
        Line(string.Create(CultureInfo.InvariantCulture, $"| RPO target | {protection.RpoTargetSeconds} s |"));
        Line($"| Drill schedule | {protection.DrillSchedule ?? "none"} |");
        Line(string.Create(CultureInfo.InvariantCulture, $"| Status | {rollUp.Status(protection.Status)} ({rollUp.Normal} normal, {rollUp.FailedOver} failed over, {rollUp.Reversed} reversed) |"));
        Line();
        Line("## 1. Pre-recovery checklist");
        Line();
        Line($"- [ ] Declare the disaster (or schedule the migration) with the contacts below.");
        Line($"- [ ] `draasctl status <plan>` shows the newest recovery point and the lag against the RPO target.");
        Line($"- [ ] The recovery site {to.Name} answers (Keystone, Nova, Cinder, Glance) and its arrays are reachable: the run's preflight checks all of it.");
        Line($"- [ ] Network mapping is complete: {(protection.NetworkMapping.Count == 0 ? "**no networks mapped**" : string.Join(", ", protection.NetworkMapping.Select(p => $"`{p.Key}` → `{p.Value}`")))}.");
        Line($"- [ ] Dry run first: `draasctl run create --plan <plan> --kind failover --dry-run` lists exactly the steps below.");
        Line();
        Line("## 2. Recovery steps");
        foreach (var part in plans)
        {
            Line();
            Line(string.Create(CultureInfo.InvariantCulture, $"### Plan {part.Plan.Name}: {part.Servers} servers, {part.Volumes} volumes ({RunPlanner.Word(part.Plan.ReplicationMode)} replication, manifest of {part.ManifestAt:yyyy-MM-dd HH:mm}, {RunPlanner.Word(PlanPlacement.Of(protection, part.Plan).State)})"));
            Line();
            Line($"Start: `draasctl run create --plan {part.Plan.Name} --kind failover` (disaster) or `--kind planned_migration` (no data loss).");
            Line();
            Line(ModeNote(part.Plan.ReplicationMode));
            Line();
            Line("| # | phase | step | target | details | after |");
            Line("| --- | --- | --- | --- | --- | --- |");
            foreach (var s in part.Steps)
            {
                var name = s.Input["name"]?.ToString();
                Line(string.Create(CultureInfo.InvariantCulture, $"| {s.Sequence} | {s.Phase} | {s.Kind} | {name ?? s.Target ?? ""} | {Details(s)} | {string.Join(", ", s.DependsOn)} |"));
            }
        }
        Line();
        Line("## 3. Post-recovery actions");
        Line();
        Line("- [ ] Read the run report (`draasctl run report <run> --markdown`): RTO, RPO, every server's health check.");
        Line("- [ ] Point DNS / floating IPs at the recovered servers (addresses are in the report).");
        Line("- [ ] Reprotect (`--kind reprotect`) so the recovered workload replicates back; fail back later with `--kind failback`.");
        Line();
        Line("## 4. Contacts");
        Line();
        foreach (var contact in protection.Contacts.DefaultIfEmpty("(none recorded)")) Line($"- {contact}");
        if (protection.WebhookUrl is not null) Line($"- webhook: {protection.WebhookUrl}");
        return md.ToString();
    }

    /// <summary>What the plan's replication mode means for the data, in the operator's words.</summary>
    public static string ModeNote(ReplicationMode mode) => mode switch
    {
        ReplicationMode.Sync => "Sync (ActiveCluster pod): every write is on both arrays. A failover and a planned migration lose no acknowledged write; a planned migration first checks the pod is in sync (`replicate_now`).",
        ReplicationMode.Continuous => "Continuous (ActiveDR pod replica link): writes reach the recovery array seconds behind. A failover promotes the recovery pod and loses the writes after its recovery point; a planned migration stops the servers and demotes the source pod with quiesce (`demote_source`), so it loses none.",
        _ => "Async (protection group): a failover recovers the newest shipped snapshot and loses the writes after it (up to one interval); a planned migration stops the servers and ships one more snapshot (`replicate_now`), so it loses none.",
    };

    private static string Details(StepSpec s) => s.Kind switch
    {
        RunPlanner.PromoteVolume => $"{s.Input["array_volume"]} on {s.Input["source_array"]} → {s.Input["target_array"]}{PromoteNote(s)}",
        RunPlanner.ReplicateNow => s.Input["mode"]?.ToString() == "sync" ? "check the stretched pod is in sync" : "ship one more snapshot and wait for it",
        RunPlanner.DemoteSource => "demote the source pod with quiesce: every write reaches the recovery pod",
        RunPlanner.ImportVolume => $"manage into {s.Input["host"]}, type {s.Input["volume_type"]}",
        RunPlanner.EnsureFlavor => $"{s.Input["vcpus"]} vCPU, {s.Input["ram"]} MiB, {s.Input["disk"]} GB",
        RunPlanner.BootServer => $"flavor {s.Input["flavor"]}, priority group {s.Input["priority_group"]}",
        RunPlanner.HealthCheck => Domain.Protection.HealthCheck.From(s.Input).Describe(),
        RunPlanner.CanaryWrite => $"write a fresh token to the data canary (http port {s.Input["port"]}{s.Input["path"]}) before the recovery point",
        RunPlanner.CanaryCheck => $"read the canary (http port {s.Input["port"]}{s.Input["path"]}): the token written before the point must be there",
        Hooks.HookPlanner.WebhookStep => $"POST {s.Input["url"]} ({(s.Input["signed"]?.GetValue<bool>() == true ? "signed, " : "")}timeout {s.Input["timeout"]} s, on error {s.Input["on_error"]})",
        Hooks.HookPlanner.ApprovalStep => $"**the run waits for approval** (`draasctl run approve <run>`): {s.Input["message"]}",
        _ => "",
    };

    private static string PromoteNote(StepSpec s) => (s.Input["mode"]?.ToString(), s.Input["purpose"]?.ToString()) switch
    {
        ("sync", _) => ", copied out of the stretched pod",
        ("continuous", "drill") => ", copied from the demoted recovery pod (replication untouched)",
        ("continuous", _) => ", after promoting the recovery pod",
        ("async", _) => ", from the chosen replicated snapshot",
        _ => "",
    };
}
