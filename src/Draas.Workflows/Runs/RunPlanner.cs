using System.Text.Json.Nodes;
using Draas.Domain.Arrays;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Storage;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs.Steps;

namespace Draas.Workflows.Runs;

/// <summary>What a run is planned from: the plan's newest manifest and the arrays and groups protecting it.</summary>
public sealed record PlanningInput(
    RunKind Kind,
    TenantProtection Protection,
    Plan Plan,
    ManifestContent Manifest,
    IReadOnlyList<ReplicationGroup> Groups,
    IReadOnlyList<StorageArray> Arrays,
    RunOptions Options,
    Func<StorageArray, IStoragePlugin> Plugin,
    string RecoveryPoint = RecoveryPointChoice.Latest);

/// <summary>
/// Turns a plan into the ordered steps of a run and the edges between them. Pure: a dry run shows
/// exactly this list, and the real run executes exactly this list. Phases are for people (a progress bar
/// each); the edges decide what may start: a volume's import waits only for its own promote, a server
/// for its own volumes, flavor and keypair and for every server of the priority group before it.
/// </summary>
public static class RunPlanner
{
    public const string Preflight = "preflight";
    public const string StopServer = "stop_server";
    public const string ReplicateNow = "replicate_now";
    public const string DemoteSource = "demote_source";
    public const string PromoteVolume = "promote_volume";
    public const string ImportVolume = "import_volume";
    public const string EnsureFlavor = "ensure_flavor";
    public const string EnsureKeypair = "ensure_keypair";
    public const string BootServer = "boot_server";
    public const string HealthCheck = "health_check";
    public const string Cleanup = "cleanup";
    public const string Reprotect = "reprotect";
    public const string FencePrimary = "fence_primary";
    public const string RestartPrimary = "restart_primary";
    public const string CanaryWrite = "canary_write";
    public const string CanaryCheck = "canary_check";

    /// <summary>Every step kind a worker executes (a person ends an approval or a commit, no handler does). A worker
    /// checks at start that it has a handler for each (<see cref="StepHandlers.Missing"/>), so a kind added to the
    /// planner without one stops the worker at start, not a run at that step.</summary>
    public static readonly IReadOnlyList<string> ExecutedKinds =
    [
        Preflight, StopServer, ReplicateNow, DemoteSource, PromoteVolume, ImportVolume, EnsureFlavor, EnsureKeypair, BootServer,
        HealthCheck, Cleanup, Reprotect, FencePrimary, RestartPrimary, CanaryWrite, CanaryCheck,
        NetworkPlanning.EnsureNetwork, NetworkPlanning.EnsureRouter, NetworkPlanning.EnsureSecurityGroups, NetworkPlanning.EnsureServerGroup,
        NetworkPlanning.EnsurePort, NetworkPlanning.EnsureFloatingIp,
        Hooks.HookPlanner.WebhookStep, CommitDecisions.RollbackStep,
    ];

    /// <summary>The step kinds a person ends: never claimed by a worker.</summary>
    public static readonly IReadOnlyList<string> DecidedKinds = [Hooks.HookPlanner.ApprovalStep, CommitDecisions.DecisionStep];

    public static IReadOnlyList<StepSpec> Plan(PlanningInput input)
    {
        var steps = new List<StepSpec>();
        int Add(int phase, string kind, string? target, object input, IEnumerable<int> after, bool always = false)
        {
            var spec = new StepSpec(steps.Count + 1, phase, kind, target, RunJson.Input(input), [.. after.Distinct().Order()], always);
            steps.Add(spec);
            return spec.Sequence;
        }

        var preflight = Add(0, Preflight, null, new PreflightInput(input.Kind, input.Kind != RunKind.Failover || !input.Options.IgnorePrimaryFailures), []);
        if (input.Kind == RunKind.Reprotect)
        {
            Add(1, Reprotect, null, new ReprotectInput([.. input.Groups.Select(g => g.Name)]), [preflight]);
            return steps;
        }

        var migrating = input.Kind is RunKind.PlannedMigration or RunKind.Failback;
        var ready = new List<int> { preflight };
        var replicated = new Dictionary<Guid, int>();
        // The data canary: a token written on the running workload before the recovery point is taken, read back
        // from the recovered server. Only where the run takes that point itself (a drill to the latest point,
        // a planned migration or failback); a failover recovers what the arrays already hold.
        var canary = Canary(input);
        if (canary is not null) ready.Add(Add(1, CanaryWrite, canary.ServerId, canary, [preflight]));
        if (migrating)
        {
            var beforeStop = ready.ToList();
            if (input.Options.StopPrimary)
            {
                foreach (var server in input.Manifest.Servers.OrderBy(s => s.Name, StringComparer.Ordinal))
                    ready.Add(Add(1, StopServer, server.Id, new PlannedServer(server.Id, server.Name), beforeStop));
            }
            // The last sync before the switch: a protection group ships one more snapshot, a stretched pod
            // has nothing to ship but must be in sync, an ActiveDR pod is demoted with quiesce.
            foreach (var group in input.Groups.OrderBy(g => g.Name, StringComparer.Ordinal))
                replicated[group.Id] = Add(1, group.Mode == Domain.Protection.ReplicationMode.Continuous ? DemoteSource : ReplicateNow, group.Name,
                    new LastSyncInput(group.Id, group.Mode), ready);
        }
        else if (canary is not null)
        {
            // A drill's snapshot-shipped groups take one more point after the token, so the drill recovers it.
            foreach (var group in input.Groups.Where(g => g.Mode == Domain.Protection.ReplicationMode.Async).OrderBy(g => g.Name, StringComparer.Ordinal))
                replicated[group.Id] = Add(1, ReplicateNow, group.Name, new LastSyncInput(group.Id, group.Mode), ready);
        }

        // Volumes: promote on the recovery array, then import into the recovery site's Cinder.
        var imported = new Dictionary<string, int>();
        foreach (var volume in input.Manifest.Volumes.OrderBy(v => v.Name ?? v.Id, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal))
        {
            var (group, source, target, arrayName) = Locate(input.Arrays, input.Groups, input.Plugin, volume);
            var promote = Add(2, PromoteVolume, volume.Id, new PromoteVolumeInput(volume.Id, volume.Name, volume.Size, group?.Id, group?.Name, source?.Name, target?.Name,
                arrayName, group?.Mode, input.Kind == RunKind.Drill ? "drill" : "failover"), group is not null && replicated.TryGetValue(group.Id, out var r) ? [preflight, r] : [preflight]);
            imported[volume.Id] = Add(3, ImportVolume, volume.Id, new ImportVolumeInput(volume.Id, volume.Name, volume.VolumeType, volume.Bootable, target?.CinderBackend), [promote]);
        }

        // A failover fences the primary (when it answers) after the promotes and before any recovered server boots.
        int? fence = null;
        if (input.Kind == RunKind.Failover && input.Options.FencePrimary)
        {
            fence = Add(3, FencePrimary, null, new FencePrimaryInput(
                [.. input.Manifest.Servers.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => new PlannedServer(x.Id, x.Name))],
                [.. input.Groups.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Id)]), [preflight, .. steps.Where(x => x.Kind == PromoteVolume).Select(x => x.Sequence)]);
        }

        var flavors = new Dictionary<string, int>();
        foreach (var server in input.Manifest.Servers)
        {
            var key = FlavorKey(server.Flavor);
            if (flavors.ContainsKey(key)) continue;
            var f = server.Flavor;
            flavors[key] = Add(3, EnsureFlavor, key, new EnsureFlavorInput(f.Name, f.Vcpus, f.Ram, f.Disk, f.Ephemeral, f.Swap, f.ExtraSpecs), [preflight]);
        }
        var keypairs = new Dictionary<string, int>();
        foreach (var keypair in input.Manifest.Keypairs.Where(k => input.Manifest.Servers.Any(s => s.KeyName == k.Name)))
        {
            if (keypairs.ContainsKey(keypair.Name)) continue;
            keypairs[keypair.Name] = Add(3, EnsureKeypair, keypair.Name, new EnsureKeypairInput(keypair.Name, keypair.Fingerprint), [preflight]);
        }

        var mapping = NetworkMapping(input.Protection, input.Plan, input.Options);
        var network = NetworkPlanning.Plan(input, mapping, (p, k, t, d, a) => Add(p, k, t, d, a), preflight);

        // Servers by priority group: every server of a group is ACTIVE before the next group boots.
        var groups = input.Manifest.Servers.GroupBy(s => s.PriorityGroup).OrderBy(g => g.Key).ToList();
        var previous = new List<int>();
        var booted = new Dictionary<string, int>();
        for (var i = 0; i < groups.Count; i++)
        {
            var current = new List<int>();
            foreach (var server in groups[i].OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal))
            {
                var after = new List<int>(previous) { flavors[FlavorKey(server.Flavor)] };
                if (fence is { } f) after.Add(f);
                after.AddRange(server.Disks.Where(d => imported.ContainsKey(d.VolumeId)).Select(d => imported[d.VolumeId]));
                if (server.KeyName is not null && keypairs.TryGetValue(server.KeyName, out var k)) after.Add(k);
                after.AddRange(network.PortsByServer.GetValueOrDefault(server.Id) ?? []);
                if (server.ServerGroupId is not null && network.ServerGroups.TryGetValue(server.ServerGroupId, out var sg)) after.Add(sg);
                if (after.Count == previous.Count + 1 && !server.Disks.Any()) after.Add(preflight);
                var seq = Add(4 + i, BootServer, server.Id, BootInput(server, mapping), after);
                current.Add(seq);
                booted[server.Id] = seq;
            }
            previous = current;
        }
        var phaseOf = groups.SelectMany((g, i) => g.Select(s => (s.Id, Phase: 4 + i))).ToDictionary(x => x.Id, x => x.Phase);
        NetworkPlanning.PlanFloatingIps(input, mapping, (p, k, t, d, a) => Add(p, k, t, d, a), booted, phaseOf);

        var healthPhase = 4 + groups.Count;
        var checks = new List<int>();
        foreach (var check in HealthChecks(input))
        {
            if (!booted.TryGetValue(check.ServerId, out var boot)) continue;
            checks.Add(Add(healthPhase, HealthCheck, check.ServerId, check, [boot]));
        }
        // After the server answers its checks: a canary read from a guest still starting proves nothing.
        if (canary is not null && booted.TryGetValue(canary.ServerId, out var canaryBoot))
            Add(healthPhase, CanaryCheck, canary.ServerId, canary, [canaryBoot, .. checks.Where(c => steps[c - 1].Target == canary.ServerId)]);

        if (input.Kind == RunKind.Drill)
            Add(healthPhase + 1, Cleanup, null, new CleanupInput("draas-drill-"), steps.Select(s => s.Sequence).ToList(), always: true);
        if (input.Kind == RunKind.Failback)
            Add(healthPhase + 1, Reprotect, null, new ReprotectInput([.. input.Groups.Select(g => g.Name)]), steps.Select(s => s.Sequence).ToList());
        // A cancelled migration makes the sources it demoted writable and starts the primary's servers it stopped
        // again; otherwise this step does nothing.
        if (migrating && ((input.Options.StopPrimary && input.Manifest.Servers.Count > 0) || steps.Any(x => x.Kind == DemoteSource)))
            Add(healthPhase + 2, RestartPrimary, null, new RestartPrimaryInput(), steps.Select(s => s.Sequence).ToList(), always: true);
        // The plan's own automation and approvals, woven in where they run.
        var woven = Hooks.HookPlanner.Apply(steps, Hooks.PlanHooks.Parse(input.Plan.Hooks));
        // Manual commit: a person's decision ends the run, after everything else (a rollback is added if asked for).
        if (input.Options.ManualCommit && input.Kind is RunKind.Failover or RunKind.PlannedMigration)
        {
            woven = [.. woven, new StepSpec(woven.Count + 1, woven.Max(x => x.Phase) + 1, CommitDecisions.DecisionStep, null,
                RunJson.Input(new CommitDecisionInput(input.Options.CommitTimeout, input.Options.AutoAction)), [.. woven.Select(x => x.Sequence)])];
        }
        return woven;
    }

    public static string FlavorKey(FlavorEntry flavor) => flavor.Name ?? $"{flavor.Vcpus}c-{flavor.Ram}m-{flavor.Disk}g";

    /// <summary>The replication group and arrays a volume is protected by; nulls when it is not (preflight says why).</summary>
    public static (ReplicationGroup? Group, StorageArray? Source, StorageArray? Target, string? ArrayVolume) Locate(
        IReadOnlyList<StorageArray> arrays, IReadOnlyList<ReplicationGroup> groups, Func<StorageArray, IStoragePlugin> plugin, VolumeEntry volume)
    {
        var source = arrays.FirstOrDefault(a => a.CinderBackend == volume.Host);
        if (source is null) return (null, null, null, null);
        var arrayName = plugin(source).ArrayVolumeName(volume.ToCinderRef());
        var group = groups.FirstOrDefault(g => g.SourceArrayId == source.Id && g.Members.Any(m => IsMember(m, arrayName)));
        var target = group is null ? null : arrays.FirstOrDefault(a => a.Id == group.TargetArrayId);
        return (group, source, target, arrayName);
    }

    /// <summary>Whether a group member (as the array names it) is this volume. An array names a volume it
    /// keeps inside a container by the container's name, <c>::</c> and the volume's own name (a Pure pod
    /// member is <c>pod::volume-…-cinder</c>), while Cinder's driver names only the volume.</summary>
    public static bool IsMember(string member, string arrayVolume) =>
        member == arrayVolume || (member.EndsWith(arrayVolume, StringComparison.Ordinal)
            && member.AsSpan(0, member.Length - arrayVolume.Length).EndsWith("::", StringComparison.Ordinal));

    /// <summary>Primary network (name or id) → recovery network; turned round for a plan that runs at the recovery site.</summary>
    public static IReadOnlyDictionary<string, string> NetworkMapping(TenantProtection protection, Plan plan, RunOptions options) =>
        options.NetworkMapping
        ?? (!PlanPlacement.Of(protection, plan).AtPrimary
            ? protection.NetworkMapping.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.First().Key)
            : protection.NetworkMapping);

    private static BootServerInput BootInput(ServerEntry server, IReadOnlyDictionary<string, string> mapping) => new(
        server.Id,
        server.Name,
        FlavorKey(server.Flavor),
        server.KeyName,
        server.BootVolumeId,
        server.ImageId,
        [.. server.Disks.Where(d => d.VolumeId != server.BootVolumeId).Select(d => d.VolumeId)],
        // Servers captured with their Neutron ports boot on recreated ports (ensure_port keeps the addresses).
        server.Nics.Count > 0 ? [] : [.. server.Networks.Where(p => p.Type is null or "fixed").Select(p => new BootNetwork(p.Network, mapping.GetValueOrDefault(p.Network), null))],
        server.Nics.Count,
        server.AvailabilityZone,
        server.ServerGroupId,
        server.UserData is not null,
        server.ConfigDrive,
        server.Tags,
        server.PriorityGroup);

    private static bool UsesCanary(PlanningInput input) => input.Kind is RunKind.PlannedMigration or RunKind.Failback
        || (input.Kind == RunKind.Drill && input.RecoveryPoint == RecoveryPointChoice.Latest);

    /// <summary>Why the plan's canary cannot be used (its server is not among the captured servers), or null.</summary>
    public static string? CanaryProblem(PlanningInput input)
    {
        // A failover never waits on the canary: a disaster is no time to refuse over a drill's proof.
        if (input.Plan.Canary is null || !UsesCanary(input)) return null;
        var who = JsonNode.Parse(input.Plan.Canary)?["server"]?.ToString();
        return input.Manifest.Servers.Any(s => s.Id == who || s.Name == who) ? null
            : $"plan.canary names server '{who}', which is not among the plan's captured servers ({string.Join(", ", input.Manifest.Servers.Select(s => s.Name).Order(StringComparer.Ordinal))}): fix the canary or capture the plan again";
    }

    /// <summary>The plan's canary, when this run writes and reads one: <c>{"server": "web", "port": 80, "path": "/canary"}</c>.</summary>
    private static CanaryInput? Canary(PlanningInput input)
    {
        if (input.Plan.Canary is null || !UsesCanary(input)) return null;
        var node = JsonNode.Parse(input.Plan.Canary)!.AsObject();
        var who = node["server"]?.ToString();
        var server = input.Manifest.Servers.FirstOrDefault(s => s.Id == who || s.Name == who);
        return server is null ? null : new CanaryInput(server.Id, server.Name, node["port"]?.GetValue<int>() ?? 80, node["path"]?.ToString() ?? "/canary");
    }

    /// <summary>The plan's checks, each naming its server by id or name: <c>{"server": "web", "type": "http", "port": 80, "path": "/"}</c>.</summary>
    private static IEnumerable<HealthCheckInput> HealthChecks(PlanningInput input)
    {
        foreach (var planned in Domain.Protection.HealthCheck.ParseList(input.Plan.HealthChecks))
        {
            var server = input.Manifest.Servers.FirstOrDefault(s => s.Id == planned.Server || s.Name == planned.Server);
            if (server is null) continue;
            yield return new HealthCheckInput(server.Id, server.Name, planned.Type, planned.Port, planned.Path, planned.ExpectStatus, input.Options.ValidationRetries);
        }
    }

    public static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
