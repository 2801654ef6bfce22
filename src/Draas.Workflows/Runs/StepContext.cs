using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Data;
using Draas.Domain.Arrays;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Draas.OpenStack.Identity;
using Draas.Storage;
using Draas.Workflows.Protection;
using Draas.Workflows.Sites;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// Everything a step may need, read from the database when the step starts: the run and its options,
/// the protection and which way it points, the manifest it recovers, the replication groups with their
/// arrays, sessions at both sites, and what earlier steps of the run produced.
/// </summary>
public sealed class StepContext
{
    private readonly SiteSessionPool _sessions;
    private readonly StoragePluginCatalog _plugins;
    private readonly ArrayReferences _references;
    private readonly Dictionary<(string Kind, string? Target), JsonObject> _outputs;
    private readonly IReadOnlyCollection<string> _reads;
    private readonly string? _targetProject;

    private StepContext(Run run, Step step, TenantProtection protection, Plan plan, ManifestContent manifest, Site source, Site target, string? sourceProject, string? targetProject,
        IReadOnlyList<StorageArray> arrays, IReadOnlyList<ReplicationGroup> groups, IReadOnlyCollection<string> reads, Dictionary<(string, string?), JsonObject> outputs,
        SiteSessionPool sessions, StoragePluginCatalog plugins, ArrayReferences references, TimeProvider clock, bool untouched)
    {
        Untouched = untouched;
        Run = run;
        Step = step;
        Protection = protection;
        Plan = plan;
        Manifest = manifest;
        SourceSite = source;
        TargetSite = target;
        SourceProjectId = sourceProject;
        _targetProject = targetProject;
        Arrays = arrays;
        Groups = groups;
        _reads = reads;
        _outputs = outputs;
        _sessions = sessions;
        _plugins = plugins;
        _references = references;
        Clock = clock;
        Woken = StepWait.FromJson(step.WaitingFor) is { Woken: true } w ? w : null;
        Options = RunOptions.Parse(run.Options);
    }

    /// <summary>
    /// No execution of this step ran before this one but, when it was woken, the one that parked it: the step's
    /// first attempt, run by the first job since the pump claimed it or the poller woke it. A handler may then skip
    /// looking for what an earlier execution made (the import, the server, the attachments); otherwise it must look:
    /// a retry, an attempt whose job a crashed worker's queue handed out again, or a job that waited very long.
    /// </summary>
    public bool Untouched { get; }

    /// <summary>The wait this attempt parked on and was woken from (with what the poller saw); null on a fresh start.</summary>
    public StepWait? Woken { get; }

    /// <summary>Parks the step until <paramref name="resource"/> of <paramref name="kind"/> in the recovery project
    /// reaches <paramref name="status"/>, giving up at the same deadline across wakes.</summary>
    public StepParkedException Park(string kind, string resource, string status, TimeSpan timeout) => new(new StepWait
    {
        Kind = kind,
        SiteId = TargetSite.Id,
        ProjectId = TargetProjectId,
        Resource = resource,
        Status = status,
        Until = Woken is { Resource: { } r } && r == resource ? Woken.Until : Clock.GetUtcNow() + timeout,
    });

    /// <summary>Parks the step until <paramref name="after"/> of real time has passed; <paramref name="count"/> travels with it.</summary>
    public StepParkedException Sleep(TimeSpan after, int count) =>
        new(new StepWait { Kind = StepWait.Timer, SiteId = TargetSite.Id, Until = TimeProvider.System.GetUtcNow() + after, Count = count });

    public Run Run { get; }
    public Step Step { get; }
    public RunOptions Options { get; }
    public TenantProtection Protection { get; }
    public Plan Plan { get; }
    public ManifestContent Manifest { get; }
    public IReadOnlyList<StorageArray> Arrays { get; }
    public IReadOnlyList<ReplicationGroup> Groups { get; }
    public TimeProvider Clock { get; }

    /// <summary>Where the plan's workload runs now (for a reprotect of a failed-over plan: the site it left).</summary>
    public Site SourceSite { get; }

    /// <summary>Where the run brings it up (for a reprotect: where it runs now).</summary>
    public Site TargetSite { get; }

    /// <summary>The plan's project at <see cref="SourceSite"/>.</summary>
    public string? SourceProjectId { get; }

    /// <summary>The project the run recovers into: a drill's own temporary project, else the other side's project.</summary>
    public string? TargetProjectId => Run.TargetProjectId ?? (Run.Kind == RunKind.Drill ? null : _targetProject);

    /// <summary>The tenant's own project at <see cref="TargetSite"/>, for drills too (a drill recovers beside it).</summary>
    public string? TenantTargetProjectId => _targetProject;

    public bool IsDrill => Run.Kind == RunKind.Drill;

    /// <summary>The metadata value that marks what this run created (servers, volumes).</summary>
    public string RunMark => Run.Id.ToString();

    /// <summary>The name prefix of what a drill creates at the recovery site (project, flavors, keypairs).</summary>
    public string DrillPrefix => RunNames.DrillPrefix(Run.Id);

    public KeystoneSession SourceAdmin => _sessions.For(SourceSite);
    public KeystoneSession TargetAdmin => _sessions.For(TargetSite);

    /// <summary>The service user at the recovery site, scoped to the project being recovered into.</summary>
    public KeystoneSession TargetProject => _sessions.For(TargetSite, TargetProjectId ?? throw new StepFailedException("the run has no target project yet (preflight did not finish)"));

    public KeystoneSession SourceProject => _sessions.For(SourceSite, SourceProjectId);

    /// <summary>The service user at a site, scoped to a project the run settled on in this step (a drill's new one).</summary>
    public KeystoneSession ProjectAt(Site site, string project) => _sessions.For(site, project);

    public IStoragePlugin Plugin(StorageArray array) => _plugins.Get(array.Plugin);

    public ArrayRef Ref(StorageArray array) => _references.For(array);

    public StorageArray Array(Guid id) => Arrays.Single(a => a.Id == id);

    /// <summary>A replication group as the plugin addresses it, from the side the workload runs now.</summary>
    public ReplicationGroupRef GroupRef(ReplicationGroup group) =>
        new(group.Name, ArrayReferences.ModeOf(group.Mode), Ref(Array(group.SourceArrayId)), Ref(Array(group.TargetArrayId)));

    public ReplicationGroup Group(Guid id) => Groups.SingleOrDefault(g => g.Id == id) ?? throw new StepFailedException($"replication group {id} is gone");

    /// <summary>The group, source and target arrays protecting a volume, as the planner found them.</summary>
    public (ReplicationGroup? Group, StorageArray? Source, StorageArray? Target, string? ArrayVolume) Locate(VolumeEntry volume) =>
        RunPlanner.Locate(Arrays, Groups, Plugin, volume);

    public VolumeEntry Volume(string id) => Manifest.Volumes.SingleOrDefault(v => v.Id == id) ?? throw new StepFailedException($"volume {id} is not in the run's manifest");

    public ServerEntry Server(string id) => Manifest.Servers.SingleOrDefault(s => s.Id == id) ?? throw new StepFailedException($"server {id} is not in the run's manifest");

    private JsonObject? Output(string kind, string? target) => Loaded(kind).GetValueOrDefault((kind, target));

    private IEnumerable<(string? Target, JsonObject Output)> Outputs(string kind) =>
        Loaded(kind).Where(o => o.Key.Kind == kind).Select(o => (o.Key.Target, o.Value));

    /// <summary>The loaded outputs, when the handler declared it reads <paramref name="kind"/>: an undeclared read
    /// would silently see nothing, so it fails loudly instead.</summary>
    private Dictionary<(string Kind, string? Target), JsonObject> Loaded(string kind) => _reads.Contains(kind) ? _outputs
        : throw new InvalidOperationException($"the {Step.Kind} handler reads {kind} outputs but does not declare it in ReadsOutputsOf");

    /// <summary>The step's input as its kind's record; a field the record requires that is missing fails the step.</summary>
    public T InputAs<T>() where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Step.Input ?? "{}", RunJson.InputOptions) ?? throw new StepFailedException($"step input is not a {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new StepFailedException($"step input is not a {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>What an earlier, succeeded step of this run of a kind the handler reads produced; null if it has not.</summary>
    public T? Output<T>(string kind, string? target) where T : class => Output(kind, target)?.Deserialize<T>(RunJson.Options);

    public IEnumerable<(string? Target, T Output)> Outputs<T>(string kind) where T : class =>
        Outputs(kind).Select(o => (o.Target, o.Output.Deserialize<T>(RunJson.Options)!));

    /// <summary>Loads what the step needs; of earlier steps' outputs only those of <paramref name="readsOutputsOf"/>.</summary>
    public static async Task<StepContext> LoadAsync(DraasDbContext db, Run run, Step step, IReadOnlyCollection<string> readsOutputsOf, SiteSessionPool sessions, StoragePluginCatalog plugins,
        ArrayReferences references, TimeProvider clock, CancellationToken ct, bool untouched = false)
    {
        var protection = await db.Protections.AsNoTracking().SingleAsync(p => p.Id == run.ProtectionId, ct);
        var plan = await db.Plans.AsNoTracking().Include(p => p.Resources).SingleOrDefaultAsync(p => p.Id == run.PlanId, ct)
            ?? throw new StepFailedException("the run's plan was deleted");
        var manifestId = run.ManifestId ?? throw new StepFailedException("the run has no manifest");
        var manifest = ManifestCache.Find(manifestId) ?? ManifestCache.Add(manifestId,
            (await db.Manifests.AsNoTracking().Where(m => m.Id == manifestId).Select(m => m.Content).SingleOrDefaultAsync(ct))
            ?? throw new StepFailedException("the run's manifest was deleted"));
        // The plan's placement as the run found it: a reprotect or failback that moved the plan and is retried
        // still works from the same sides (its step knows the move is done from the plan's state run).
        var placement = PlanPlacement.Of(protection, plan);
        if (plan.StateRunId == run.Id) placement = Before(placement, run.Kind, protection);
        var sides = placement.SidesFor(run.Kind);
        var sites = await db.Sites.AsNoTracking().Where(s => s.Id == protection.PrimarySiteId || s.Id == protection.RecoverySiteId).ToListAsync(ct);
        var arrays = await db.Arrays.AsNoTracking().ToListAsync(ct);
        var groups = await db.ReplicationGroups.AsNoTracking().Where(g => g.PlanId == plan.Id).ToListAsync(ct);
        var reads = readsOutputsOf.ToArray();
        var outputs = reads.Length == 0 ? [] : (await db.Steps.AsNoTracking()
                .Where(s => s.RunId == run.Id && s.State == StepState.Succeeded && s.Output != null && reads.Contains(s.Kind))
                .Select(s => new { s.Kind, s.Target, s.Output }).ToListAsync(ct))
            .ToDictionary(s => (s.Kind, s.Target), s => RunJson.Object(s.Output));
        return new StepContext(run, step, protection, plan, manifest, sites.Single(s => s.Id == sides.SiteId),
            sites.Single(s => s.Id == sides.TargetSiteId), sides.ProjectId, sides.TargetProjectId, arrays, groups, reads, outputs, sessions, plugins, references, clock, untouched);
    }

    /// <summary>Where the plan was before this run moved it: a reprotect had it failed over where it runs
    /// now; a failback had it reversed at the other side.</summary>
    private static PlanPlacement Before(PlanPlacement now, RunKind kind, TenantProtection protection) => kind switch
    {
        RunKind.Reprotect => now with { FailedOver = true },
        RunKind.Failback => new PlanPlacement(now.OtherSiteId, now.OtherProjectId ?? protection.RecoveryProjectId ?? "", now.SiteId, now.ProjectId, !now.AtPrimary, false),
        _ => now,
    };
}
