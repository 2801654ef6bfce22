using Draas.Data;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Core;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Imports a promoted volume into the recovery site's Cinder with manage-existing, under its original
/// name, type, bootable flag and metadata, and parks until it is available (error_managing fails the step
/// with Cinder's reason); the wait holds no worker (<see cref="WaitPoller"/>). The imported volume carries the run's mark, so a retry finds it instead of
/// importing twice; looking and importing happen under the step's lock, so an attempt started beside a
/// slow one (whose lease lapsed) waits and finds its import instead of making a second.
/// </summary>
public sealed class ImportVolumeStep(DraasDbContext db) : StepHandler<ImportVolumeInput, ImportVolumeOutput>
{
    public override string Kind => RunPlanner.ImportVolume;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.Preflight, RunPlanner.PromoteVolume];

    /// <summary>How long an import may take to become available (as the old in-worker wait allowed).</summary>
    public static TimeSpan WaitTimeout { get; set; } = new WaitOptions().Timeout;

    public override async Task<ImportVolumeOutput> ExecuteAsync(StepContext c, ImportVolumeInput input, CancellationToken ct)
    {
        var source = c.Volume(input.VolumeId);
        var promoted = c.Output<PromoteVolumeOutput>(RunPlanner.PromoteVolume, source.Id) ?? throw new StepFailedException($"volume {source.Id} was not promoted");
        var arrayVolume = promoted.ArrayVolume;
        var cinder = c.TargetProject.BlockStorage;
        // Woken from its wait: the import exists, one GET shows what it became.
        var volume = c.Woken is { Resource: { } imported } ? await cinder.Volumes.GetAsync(imported, ct) : await StepLock.HoldAsync(db, c.Step.Id, async () =>
        {
            // Nothing of this step ran before: there is no earlier import to find (a list of the project's volumes).
            var found = c.Untouched ? null : await FindImportAsync(c, cinder.Volumes, source.Id, ct);
            if (found is not null) return found;
            var metadata = RunNames.Mark(source.Metadata, c.RunMark, source.Id);
            // The types preflight read for the whole run; a retry reads them again (one may have gone since).
            var types = c.Step.Attempts == 1 && c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.VolumeTypes is { } known ? known
                : await cinder.VolumeTypes.ListAsync(false, ct).Select(t => t.Name).ToListAsync(ct);
            return await cinder.Manage.ManageAsync(new ManageVolumeOptions
            {
                Host = input.Host ?? throw new StepFailedException($"volume {source.Id} has no recovery array backend to import into"),
                Ref = ManageRef(promoted, arrayVolume),
                Name = source.Name,
                Description = $"recovered by DRaaS run {c.Run.Id} from volume {source.Id}",
                VolumeType = source.VolumeType is not null && types.Contains(source.VolumeType) ? source.VolumeType : null,
                Bootable = source.Bootable,
                Metadata = metadata,
            }, ct);
        }, ct);
        if (VolumesApi.IsErrorStatus(volume.Status))
        {
            // Cinder shows error_managing as "error"; the failed volume stays for cleanup (or an operator) to remove.
            throw new StepFailedException($"Cinder at {c.TargetSite.Name} could not import array volume {arrayVolume} as {source.Name ?? source.Id} (volume {volume.Id}): volume went to status {volume.Status}");
        }
        if (volume.Status != "available")
        {
            if (c.Woken is { } late && c.Clock.GetUtcNow() >= late.Until)
                throw new WaitTimeoutException($"volume {volume.Id} to become available", WaitTimeout, volume.Status);
            // Managed; the wait holds no worker: the wait poller wakes this step when Cinder lists it available.
            throw c.Park(StepWait.Volume, volume.Id, "available", WaitTimeout);
        }
        if (source.Bootable && !volume.Bootable) await cinder.Volumes.SetBootableAsync(volume.Id, true, ct);
        return new ImportVolumeOutput(volume.Id, volume.Name, volume.Size, volume.Host, volume.VolumeType, arrayVolume);
    }

    /// <summary>The plugin's manage-existing ref as the promote step recorded it (source-name for a step
    /// recorded before plugins said so).</summary>
    private static IReadOnlyDictionary<string, string> ManageRef(PromoteVolumeOutput promoted, string arrayVolume) =>
        promoted.ManageRef is { Count: > 0 } r ? r : ManageVolumeOptions.SourceName(arrayVolume);

    /// <summary>The volume an earlier attempt of this run imported for <paramref name="sourceId"/>.</summary>
    public static async Task<Volume?> FindImportAsync(StepContext c, VolumesApi volumes, string sourceId, CancellationToken ct) =>
        await volumes.ListAsync(null, ct).FirstOrDefaultAsync(v =>
            RunNames.IsMine(v.Metadata, c.RunMark, sourceId), ct);
}
