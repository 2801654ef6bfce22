using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Storage;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Looks before the run leaps, and lists every problem at once: the recovery site answers (Keystone, Nova,
/// Cinder, Glance), its arrays answer and have room, a recovery point exists, every network is mapped to
/// one that exists, quotas are not below what the run needs, and the primary answers when it must
/// (a failover goes on without it). It also settles the run's target project (a drill makes its own,
/// isolated one), gives the service user a role in it, chooses the recovery points, and for a drill
/// records what the drill must not touch (the tenant's own project at the recovery site) for its cleanup proof.
/// </summary>
public sealed class PreflightStep(DraasDbContext db) : StepHandler<PreflightInput, PreflightOutput>
{
    public override string Kind => RunPlanner.Preflight;

    public override async Task<PreflightOutput> ExecuteAsync(StepContext c, PreflightInput input, CancellationToken ct)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var primaryRequired = input.PrimaryRequired;

        async Task Check(string what, Func<Task> probe, bool required = true)
        {
            try
            {
                await probe();
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A required service that did not answer this time is worth another attempt of the step.
                if (required && StepFailures.IsTransient(e)) throw new StepFailedException($"{what}: {StepFailures.Describe(e)}") { Retryable = true };
                (required ? problems : warnings).Add($"{what}: {StepFailures.Describe(e)}");
            }
        }

        await CheckStateAsync(c, problems);
        await Check($"primary site {c.SourceSite.Name}", () => c.SourceAdmin.GetTokenInfoAsync(ct), primaryRequired);
        var target = c.TargetAdmin;
        await Check($"recovery site {c.TargetSite.Name} Keystone", () => target.GetTokenInfoAsync(ct));
        List<string>? zones = null;
        await Check($"recovery site {c.TargetSite.Name} Nova", async () => zones = [.. (await target.Compute.Admin.ListAvailabilityZonesAsync(ct)).Select(z => z.ZoneName)]);
        await Check($"recovery site {c.TargetSite.Name} Cinder", () => target.BlockStorage.Admin.ListPoolsAsync(ct));
        await Check($"recovery site {c.TargetSite.Name} Glance", async () => await target.Image.ListAsync(null, ct).FirstOrDefaultAsync(ct));
        if (problems.Count > 0) throw new StepFailedException(Summary(problems), new { problems, warnings });

        var points = new Dictionary<string, ChosenPoint>();
        if (c.Run.Kind != RunKind.Reprotect)
        {
            await CheckArraysAsync(c, problems, warnings, ct);
            if (c.Run.Kind is RunKind.Drill or RunKind.Failover) await ChoosePointsAsync(c, points, problems, ct);
        }
        var networks = await CheckNetworksAsync(c, problems, ct);

        string? project = null;
        Inventory? before = null;
        List<string>? types = null;
        if (problems.Count == 0 && c.Run.Kind != RunKind.Reprotect)
        {
            if (c.IsDrill) before = await Inventory.TakeAsync(target, Inventory.TenantProjectAt(c), ct);
            project = c.IsDrill ? await DrillProjectAsync(c, ct) : c.TargetProjectId;
            if (project is null) problems.Add("the protection has no recovery project to recover into");
            else
            {
                await GrantServiceUserAsync(target, project, ct);
                if (c.IsDrill)
                {
                    await SizeDrillProjectAsync(c, target, project, ct);
                    await DrillNeutronQuotas.RaiseAsync(c, target, project, ct);
                }
                await CheckQuotasAsync(c, target, project, problems, ct);
                // As the imports see them: the project's token lists the public types and the private ones it may use.
                types = await c.ProjectAt(c.TargetSite, project).BlockStorage.VolumeTypes.ListAsync(false, ct).Select(t => t.Name).ToListAsync(ct);
            }
        }
        if (problems.Count > 0) throw new StepFailedException(Summary(problems), new { problems, warnings });
        await HoldPointsAsync(c, points, warnings, ct);
        var staleHolds = await ReleaseStaleHoldsAsync(c, warnings, ct);

        var run = await db.Runs.SingleAsync(r => r.Id == c.Run.Id, ct);
        run.TargetProjectId = project ?? run.TargetProjectId;
        var times = points.Values.Select(p => p.Time).ToList();
        if (times.Count > 0) run.RecoveryPointAt = times.Min();
        await db.SaveChangesAsync(ct);
        return new PreflightOutput(project, points, networks, warnings, before, staleHolds, zones, types);
    }

    /// <summary>This run makes the plan's earlier runs un-resumable: the holds they kept for a resume go now.
    /// An array that does not answer only costs a warning; the next run's preflight tries again.</summary>
    private async Task<List<string>> ReleaseStaleHoldsAsync(StepContext c, List<string> warnings, CancellationToken ct)
    {
        try
        {
            return await StaleHolds.ReleaseAsync(db, c.Plan.Id, c.Run.CreatedAt, groupId =>
            {
                var group = c.Groups.SingleOrDefault(g => g.Id == groupId);
                return group is not null && c.Plugin(c.Array(group.TargetArrayId)) is IHoldRecoveryPoint holds ? (holds, c.GroupRef(group)) : null;
            }, ct);
        }
        catch (ArrayException e)
        {
            warnings.Add($"the recovery-point holds of the plan's earlier runs were not all released: {e.Message}");
            return [];
        }
    }

    /// <summary>Keeps each chosen point until the run's promotes copied it: the array's retention may prune it
    /// meanwhile (a long run, or an older point asked for). Each promote releases its volume's hold.</summary>
    private static async Task HoldPointsAsync(StepContext c, Dictionary<string, ChosenPoint> points, List<string> warnings, CancellationToken ct)
    {
        foreach (var group in c.Groups)
        {
            if (points.GetValueOrDefault(group.Id.ToString()) is not { } point) continue;
            if (c.Plugin(c.Array(group.TargetArrayId)) is not IHoldRecoveryPoint holds) continue;
            var volumes = c.Manifest.Volumes.Select(c.Locate).Where(l => l.Group?.Id == group.Id && l.ArrayVolume is not null).Select(l => l.ArrayVolume!).ToList();
            try
            {
                var held = await holds.HoldAsync(c.GroupRef(group), point.Id, RunNames.ArrayRunId(c.Run.Id), volumes, ct);
                points[group.Id.ToString()] = point with { Held = held.Count };
            }
            catch (ArrayException e) when (StepFailures.IsTransient(e) || e.Kind == ArrayErrorKind.NotFound)
            {
                // Pruned between the choice and the hold, or the array did not answer: the next attempt chooses again.
                throw new StepFailedException($"group {group.Name}: cannot hold recovery point {point.Id}: {e.Message}") { Retryable = true };
            }
            catch (ArrayException e)
            {
                // The hold is a safeguard: without it the promotes still use the point while it lasts.
                points[group.Id.ToString()] = point with { Held = 0 };
                warnings.Add($"group {group.Name}: recovery point {point.Id} is not held against the array's retention: {e.Message}");
            }
        }
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    private static string Summary(List<string> problems) => $"{problems.Count} problem(s): {string.Join("; ", problems)}";

    private static Task CheckStateAsync(StepContext c, List<string> problems)
    {
        // Checked when the run was created too; the plan may have moved while the run queued.
        if (PlanPlacement.Of(c.Protection, c.Plan).Refusal(c.Run.Kind, c.Plan.Name) is { } refusal) problems.Add(refusal);
        if (c.Manifest.Missing.Count > 0 && c.Run.Kind == RunKind.Drill)
            problems.Add($"the plan names resources the primary no longer has: {string.Join(", ", c.Manifest.Missing)}");
        return Task.CompletedTask;
    }

    private static async Task CheckArraysAsync(StepContext c, List<string> problems, List<string> warnings, CancellationToken ct)
    {
        foreach (var volume in c.Manifest.Volumes.Where(v => c.Locate(v).Group is null))
            problems.Add($"volume {volume.Name ?? volume.Id} ({volume.Id}) is not replicated yet");
        foreach (var group in c.Groups)
        {
            var targetArray = c.Array(group.TargetArrayId);
            var plugin = c.Plugin(targetArray);
            try
            {
                var probe = await plugin.ProbeAsync(c.Ref(targetArray), ct);
                // The run provisions the volumes' sizes on a thin array: compared with what the array can still
                // provision, not with its physical free space (the promote step checks each copy's data too).
                var needed = c.Manifest.Volumes.Where(v => c.Locate(v).Group?.Id == group.Id).Sum(v => (long)v.Size << 30);
                if (probe.ProvisioningHeadroomBytes is { } headroom && needed > headroom)
                    problems.Add($"array {targetArray.Name} can provision {Gib(headroom)} GiB more ({Gib(probe.FreeBytes)} GiB physical free, " +
                        $"{(double)probe.ProvisionedBytes / probe.UsedBytes:0.#}:1 provisioned to used), the run provisions {Gib(needed)} GiB");
            }
            catch (ArrayException e)
            {
                if (StepFailures.IsTransient(e)) throw new StepFailedException($"recovery array {targetArray.Name}: {e.Message}") { Retryable = true };
                problems.Add($"recovery array {targetArray.Name}: {e.Message}");
                continue;
            }
            try
            {
                var status = await plugin.GetReplicationStatusAsync(c.GroupRef(group), ct);
                if (status.Health != ReplicationHealth.Healthy) warnings.Add($"group {group.Name}: replication {status.Health}: {status.Detail}");
            }
            catch (ArrayException e)
            {
                warnings.Add($"group {group.Name}: replication status unknown: {e.Message}");
            }
        }
    }

    /// <summary>The recovery point per group: the newest, a given id, or the newest at or before a given time.</summary>
    private static async Task ChoosePointsAsync(StepContext c, Dictionary<string, ChosenPoint> points, List<string> problems, CancellationToken ct)
    {
        var wanted = c.Run.RecoveryPoint;
        var until = RecoveryPointChoice.Time(wanted);
        foreach (var group in c.Groups)
        {
            var plugin = c.Plugin(c.Array(group.TargetArrayId));
            RecoveryPoint? chosen = null;
            try
            {
                await foreach (var point in plugin.ListRecoveryPointsAsync(c.GroupRef(group), ct))
                {
                    if (wanted == "latest" || point.Id == wanted || (until is not null && point.Time <= until))
                    {
                        chosen = point;
                        break;
                    }
                }
            }
            catch (ArrayException e)
            {
                if (StepFailures.IsTransient(e)) throw new StepFailedException($"group {group.Name}: cannot list recovery points: {e.Message}") { Retryable = true };
                problems.Add($"group {group.Name}: cannot list recovery points: {e.Message}");
                continue;
            }
            if (chosen is null) problems.Add($"group {group.Name} has no recovery point matching '{wanted}' at the recovery array");
            else points[group.Id.ToString()] = new ChosenPoint(chosen.Id, chosen.Time, group.Name);
        }
    }

    /// <summary>Every network the servers are on that the run maps (rather than recreates or copies into a
    /// drill's bubble) must map to a recovery network that exists; resolved by the primary's name and id.</summary>
    private static async Task<Dictionary<string, string>> CheckNetworksAsync(StepContext c, List<string> problems, CancellationToken ct)
    {
        var resolved = new Dictionary<string, string>();
        var mapping = RunPlanner.NetworkMapping(c.Protection, c.Plan, c.Options);
        var needed = new List<(string Key, string? Id)>();
        foreach (var server in c.Manifest.Servers)
        {
            if (server.Nics.Count == 0) needed.AddRange(server.Networks.Where(p => p.Type is null or "fixed").Select(p => (p.Network, (string?)null)));
            else needed.AddRange(server.Nics.Where(n => NetworkPlanning.Mode(c.Run.Kind, c.Options, n.NetworkId, n.NetworkName, mapping) == "map")
                .Select(n => (n.NetworkName ?? n.NetworkId, (string?)n.NetworkId)));
        }
        if (c.Options.FloatingIps && !(c.IsDrill && !c.Options.DrillOnMappedNetworks))
            needed.AddRange(c.Manifest.FloatingIps.Select(f => (f.FloatingNetworkName ?? f.FloatingNetworkId, (string?)f.FloatingNetworkId)));
        needed = [.. needed.Distinct()];
        if (needed.Count == 0) return resolved;
        var networks = await c.TargetAdmin.Networking.ListNetworksAsync(null, ct).ToListAsync(ct);
        foreach (var (name, id) in needed)
        {
            var to = mapping.GetValueOrDefault(name) ?? (id is null ? null : mapping.GetValueOrDefault(id));
            if (to is null)
            {
                problems.Add($"network '{name}' has no mapping to a recovery network");
                continue;
            }
            var (network, why) = RecoveryNetworkChoice.Resolve(networks, to, c.TenantTargetProjectId);
            if (network is null)
            {
                problems.Add($"network '{name}' maps to '{to}': {why}");
                continue;
            }
            resolved[name] = network.Id;
            if (id is not null) resolved[id] = network.Id;
        }
        return resolved;
    }

    private static async Task<string> DrillProjectAsync(StepContext c, CancellationToken ct)
    {
        var identity = c.TargetAdmin.Identity;
        var existing = await identity.ListProjectsAsync(new ProjectListOptions { Name = c.DrillPrefix }, ct).FirstOrDefaultAsync(ct);
        if (existing is not null) return existing.Id;
        var created = await identity.CreateProjectAsync(new CreateProjectOptions
        {
            Name = c.DrillPrefix,
            Description = $"DR drill {c.Run.Id} of plan {c.Plan.Name}: isolated, deleted when the drill ends",
            Tags = ["draas-drill"],
        }, ct);
        return created.Id;
    }

    /// <summary>Creating servers and importing volumes inside a project takes a token scoped to it.</summary>
    private static async Task GrantServiceUserAsync(KeystoneSession admin, string project, CancellationToken ct)
    {
        var user = (await admin.GetTokenInfoAsync(ct)).User.Id;
        var role = await admin.Identity.ListRolesAsync("admin", ct).FirstOrDefaultAsync(ct)
            ?? throw new StepFailedException("the recovery site's Keystone has no 'admin' role");
        await admin.Identity.GrantProjectRoleAsync(project, user, role.Id, ct);
    }

    /// <summary>What the run will create, per quota (Cinder's, then Nova's).</summary>
    private static (Dictionary<string, long> Volumes, Dictionary<string, long> Compute) Needs(StepContext c) => (
        new() { ["volumes"] = c.Manifest.Volumes.Count, ["gigabytes"] = c.Manifest.Volumes.Sum(v => (long)v.Size) },
        new()
        {
            ["instances"] = c.Manifest.Servers.Count,
            ["cores"] = c.Manifest.Servers.Sum(s => (long)s.Flavor.Vcpus),
            ["ram"] = c.Manifest.Servers.Sum(s => (long)s.Flavor.Ram),
        });

    /// <summary>A drill's project is the service's own and starts with the cloud's default quotas, which a
    /// large tenant outgrows: its limits are raised to what the drill needs (never lowered).</summary>
    private static async Task SizeDrillProjectAsync(StepContext c, KeystoneSession admin, string project, CancellationToken ct)
    {
        static Dictionary<string, int> Raise(IReadOnlyDictionary<string, QuotaUsage> quotas, Dictionary<string, long> needs) =>
            needs.Where(n => quotas.TryGetValue(n.Key, out var q) && q.Free is { } free && free < n.Value)
                .ToDictionary(n => n.Key, n => (int)Math.Min(int.MaxValue, quotas[n.Key].InUse + quotas[n.Key].Reserved + n.Value));
        var (volumeNeeds, computeNeeds) = Needs(c);
        var volumes = Raise(await admin.BlockStorage.Admin.GetQuotaUsageAsync(project, ct), volumeNeeds);
        if (volumes.Count > 0) await admin.BlockStorage.Admin.UpdateQuotasAsync(project, volumes, ct);
        var compute = Raise(await admin.Compute.Admin.GetQuotaUsageAsync(project, ct), computeNeeds);
        if (compute.Count > 0) await admin.Compute.Admin.UpdateQuotasAsync(project, compute, ct);
    }

    /// <summary>What the run will create in the project against what its quotas still leave free (limit
    /// minus in use minus reserved): a drill project starts empty, a real recovery's project may not.</summary>
    private static async Task CheckQuotasAsync(StepContext c, KeystoneSession admin, string project, List<string> problems, CancellationToken ct)
    {
        void Check(string service, IReadOnlyDictionary<string, QuotaUsage> quotas, Dictionary<string, long> needs)
        {
            foreach (var (key, needed) in needs)
            {
                if (needed > 0 && quotas.TryGetValue(key, out var q) && q.Free is { } free && free < needed)
                    problems.Add($"{service} quota: the run needs {needed} {Unit(key)}, the project has {free} free ({q.InUse} in use, {q.Reserved} reserved, limit {q.Limit})");
            }
        }
        static string Unit(string key) => key switch { "gigabytes" => "GiB", "ram" => "MiB RAM", _ => key };
        var (volumeNeeds, computeNeeds) = Needs(c);
        Check("Cinder", await admin.BlockStorage.Admin.GetQuotaUsageAsync(project, ct), volumeNeeds);
        Check("Nova", await admin.Compute.Admin.GetQuotaUsageAsync(project, ct), computeNeeds);
    }
}
