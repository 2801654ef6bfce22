using System.Globalization;
using System.Runtime.CompilerServices;
using Draas.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draas.Plugins.Ceph;

/// <summary>
/// The <c>rbd</c> storage plugin: Ceph RBD snapshot-based mirroring, per image, between two clusters whose
/// pools are already peered (rbd-mirror running at each site that receives). A plan's group is the set of
/// images carrying its name in metadata; a recovery point is a time at which every member had a mirror
/// snapshot complete at the peer. Pacific mirrors images one by one, so a point is per-volume consistent,
/// not consistent across the group's volumes.
/// </summary>
public sealed class CephPlugin : IStoragePlugin, IReplicateNow, IReverseReplication, IDemoteSource, IReleaseRecoveryCopy, IDisposable
{
    public const string PluginName = "rbd";
    private static readonly IReadOnlySet<ReplicationMode> AsyncOnly = new HashSet<ReplicationMode> { ReplicationMode.Async };
    private readonly CephPluginOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RbdCli _cli;

    public CephPlugin(CephPluginOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _options = options ?? new CephPluginOptions();
        _time = time ?? TimeProvider.System;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<CephPlugin>();
        _cli = new RbdCli(_options, _time, _logger);
    }

    public string Name => PluginName;

    /// <summary>Snapshot mirroring on a schedule only: Pacific's journal mode is not kept (yet) as continuous.</summary>
    public IReadOnlySet<ReplicationMode> Modes => AsyncOnly;

    public string? EndpointProblem(Uri endpoint)
    {
        const string form = "an rbd endpoint is ceph://USER@MON_HOST:PORT/POOL (optionally ?mon_host=HOST:PORT,HOST:PORT); the cephx key goes in api_token";
        if (endpoint.Scheme != "ceph" || string.IsNullOrEmpty(endpoint.Host) || !string.IsNullOrEmpty(endpoint.Fragment) || endpoint.UserInfo.Contains(':')) return form;
        var pool = endpoint.AbsolutePath.Trim('/');
        if (pool.Length == 0 || pool.Contains('/')) return form;
        var query = System.Web.HttpUtility.ParseQueryString(endpoint.Query);
        return query.AllKeys.Any(k => k != "mon_host") ? form : null;
    }

    public string ArrayVolumeName(CinderVolumeRef volume) => CephNames.CinderImage(volume.BackendId);

    /// <summary>Cinder's RBD driver manages an image of its pool by name and renames it <c>volume-&lt;id&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string> ManageExistingRef(string arrayVolumeName) =>
        new Dictionary<string, string> { ["source-name"] = arrayVolumeName };

    public async Task<ArrayProbe> ProbeAsync(ArrayRef array, CancellationToken cancellationToken = default)
    {
        var c = CephCluster.From(array);
        var versions = await _cli.CephJsonAsync<Dictionary<string, Dictionary<string, int>>>(c, ["versions"], cancellationToken).ConfigureAwait(false);
        var version = versions.GetValueOrDefault("overall")?.Keys.FirstOrDefault() ?? "unknown";
        var df = await _cli.CephJsonAsync<CephDf>(c, ["df"], cancellationToken).ConfigureAwait(false);
        var info = await PoolInfoAsync(c, cancellationToken).ConfigureAwait(false);
        var status = await _cli.RbdJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>(c, ["mirror", "pool", "status", c.Pool], cancellationToken).ConfigureAwait(false);
        var daemon = status.TryGetValue("summary", out var s) && s.TryGetProperty("daemon_health", out var h) ? h.GetString() : null;
        var links = (info.Peers ?? []).Select(p => new ArrayLink(p.SiteName ?? p.Uuid ?? "?", $"rbd-mirror {p.Direction}",
            daemon is "OK" or "WARNING" ? "connected" : (daemon ?? "unknown").ToLowerInvariant())).ToList();
        return new ArrayProbe(info.SiteName ?? array.Name, version, "rbd-cli", df.Stats?.TotalBytes ?? 0, df.Stats?.TotalUsedRawBytes ?? 0, links);
    }

    public async Task<ProtectionResult> EnsureProtectedAsync(ProtectionSpec spec, CancellationToken cancellationToken = default)
    {
        if (spec.Mode != ReplicationMode.Async)
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"the rbd plugin keeps async (snapshot) mirroring only, not {spec.Mode}", spec.Source.Name);
        if (spec.Interval < TimeSpan.FromMinutes(1))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"replication interval {spec.Interval} is below rbd's one-minute schedule minimum", spec.Source.Name);
        var src = CephCluster.From(spec.Source);
        var dst = CephCluster.From(spec.Target);
        await CheckPeerAsync(src, dst, cancellationToken).ConfigureAwait(false);
        var group = CephNames.Group(spec.PlanKey);
        var changes = new List<string>();
        var current = await MembersAsync(src, group, cancellationToken).ConfigureAwait(false);
        foreach (var volume in spec.Volumes)
        {
            var info = await InfoAsync(src, volume, cancellationToken).ConfigureAwait(false)
                ?? throw new ArrayException(ArrayErrorKind.NotFound, $"image {src.Image(volume)} does not exist", src.Name, context: volume);
            if (info.Mirroring?.State != "enabled")
            {
                await _cli.RbdAsync(src, ["mirror", "image", "enable", src.Image(volume), "snapshot"], cancellationToken).ConfigureAwait(false);
                changes.Add($"enabled snapshot mirroring of {volume}");
            }
            else if (info.Mirroring.Mode != "snapshot")
                throw new ArrayException(ArrayErrorKind.InvalidRequest, $"image {volume} is mirrored in {info.Mirroring.Mode} mode; the plugin keeps snapshot mode only", src.Name, context: volume);
            else if (!info.Mirroring.Primary)
                throw new ArrayException(ArrayErrorKind.InvalidRequest, $"image {volume} is not primary at {src.Name}: it is replicated from elsewhere", src.Name, context: volume);
            if (!current.Contains(volume))
            {
                await _cli.RbdAsync(src, ["image-meta", "set", src.Image(volume), CephNames.GroupKey, group], cancellationToken).ConfigureAwait(false);
                changes.Add($"added {volume} to {group}");
            }
            if (await EnsureScheduleAsync(src, volume, spec.Interval, cancellationToken).ConfigureAwait(false))
                changes.Add($"mirror snapshots of {volume} every {CephNames.Interval(spec.Interval)}");
        }
        foreach (var gone in current.Except(spec.Volumes, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await StopMirroringAsync(src, gone, cancellationToken).ConfigureAwait(false);
            changes.Add($"removed {gone} from {group} and stopped mirroring it");
        }
        return new ProtectionResult(new ReplicationGroupRef(group, ReplicationMode.Async, spec.Source, spec.Target),
            [.. spec.Volumes.Order(StringComparer.Ordinal)], changes);
    }

    public async Task<bool> RemoveProtectionAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default)
    {
        var src = CephCluster.From(group.Source);
        var members = await MembersAsync(src, group.Name, cancellationToken).ConfigureAwait(false);
        foreach (var member in members) await StopMirroringAsync(src, member, cancellationToken).ConfigureAwait(false);
        return members.Count > 0;
    }

    public async Task<ReplicationStatus> GetReplicationStatusAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default)
    {
        var src = CephCluster.From(group.Source);
        var dst = CephCluster.From(group.Target);
        var members = await MembersAsync(src, group.Name, cancellationToken).ConfigureAwait(false);
        if (members.Count == 0) return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, false, null, $"no image at {src.Name} belongs to {group.Name}");
        try
        {
            await CheckPeerAsync(src, dst, cancellationToken).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotConnected)
        {
            return new ReplicationStatus(group, ReplicationHealth.Broken, null, null, false, null, e.ArrayMessage);
        }
        var problems = new List<string>();
        TimeSpan? interval = null;
        foreach (var member in members)
        {
            var info = await InfoAsync(src, member, cancellationToken).ConfigureAwait(false);
            if (info?.Mirroring is not { State: "enabled", Primary: true }) problems.Add($"{member} is not a mirrored primary at {src.Name}");
            var schedule = await ScheduleAsync(src, member, cancellationToken).ConfigureAwait(false);
            if (schedule.Count == 0) problems.Add($"{member} has no mirror snapshot schedule");
            interval ??= schedule.Select(i => CephNames.ParseInterval(i.Interval)).FirstOrDefault(i => i is not null);
        }
        var points = await GroupPointsAsync(dst, members, cancellationToken).ConfigureAwait(false);
        var latest = points.FirstOrDefault();
        var lag = latest is null ? (TimeSpan?)null : _time.GetUtcNow() - latest.Time;
        var health = problems.Count > 0 ? ReplicationHealth.Broken
            : latest is null || (interval is { } i && lag > i * _options.DegradedAfterIntervals) ? ReplicationHealth.Degraded
            : ReplicationHealth.Healthy;
        var detail = problems.Count > 0 ? string.Join("; ", problems)
            : latest is null ? $"no mirror snapshot of every member has reached {dst.Name} yet"
            : $"{members.Count} image(s) mirrored to {dst.Name}, newest common point {latest.Time:u}";
        return new ReplicationStatus(group, health, lag, latest, problems.Count == 0, interval, detail);
    }

    public async IAsyncEnumerable<RecoveryPoint> ListRecoveryPointsAsync(ReplicationGroupRef group,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var dst = CephCluster.From(group.Target);
        // Read at the recovery cluster: the group's name travels with each image's metadata, so this works with the primary gone.
        var members = await MembersAsync(dst, group.Name, cancellationToken).ConfigureAwait(false);
        foreach (var point in await GroupPointsAsync(dst, members, cancellationToken).ConfigureAwait(false)) yield return point;
    }

    public async Task<RecoveryPoint> ReplicateNowAsync(ReplicationGroupRef group, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var src = CephCluster.From(group.Source);
        var dst = CephCluster.From(group.Target);
        var members = await MembersAsync(src, group.Name, cancellationToken).ConfigureAwait(false);
        if (members.Count == 0) throw new ArrayException(ArrayErrorKind.NotFound, $"no image at {src.Name} belongs to {group.Name}", src.Name, context: group.Name);
        var taken = new Dictionary<string, long>();
        foreach (var member in members)
        {
            var output = await _cli.RbdAsync(src, ["mirror", "image", "snapshot", src.Image(member)], cancellationToken).ConfigureAwait(false);
            taken[member] = ParseSnapshotId(output, src, member);
        }
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            var arrived = new List<DateTimeOffset>();
            foreach (var (member, id) in taken)
            {
                var snaps = await SnapshotsAsync(dst, member, cancellationToken).ConfigureAwait(false);
                if (snaps.FirstOrDefault(s => s.IsCompleteReplica && s.Namespace!.PrimarySnapId == id) is { } replica) arrived.Add(replica.Time);
            }
            if (arrived.Count == taken.Count)
            {
                var time = arrived.Max();
                return new RecoveryPoint(CephNames.PointId(time), time);
            }
            if (_time.GetUtcNow() > deadline)
                throw new ArrayException(ArrayErrorKind.Timeout, $"{taken.Count - arrived.Count} of {taken.Count} mirror snapshot(s) of {group.Name} did not reach {dst.Name} within {timeout}", dst.Name, context: group.Name);
            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<PromotedVolume> PromoteVolumeAsync(PromoteRequest request, CancellationToken cancellationToken = default)
    {
        var dst = CephCluster.From(request.Group.Target);
        var source = request.SourceVolume;
        return request.Purpose == PromotePurpose.Drill
            ? await DrillCopyAsync(dst, source, request.RunId, request.RecoveryPointId, cancellationToken).ConfigureAwait(false)
            : await PromoteInPlaceAsync(dst, source, request.RecoveryPointId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An independent image copied from the chosen mirror snapshot; the mirrored image is only read.</summary>
    private async Task<PromotedVolume> DrillCopyAsync(CephCluster dst, string source, string runId, string? pointId, CancellationToken ct)
    {
        var copy = CephNames.DrillCopy(runId, source);
        if (await InfoAsync(dst, copy, ct).ConfigureAwait(false) is { } existing)
        {
            var meta = await MetaAsync(dst, copy, ct).ConfigureAwait(false);
            if (meta.GetValueOrDefault(CephNames.DrillCopyKey) == copy && ParseCopyOf(meta.GetValueOrDefault(CephNames.CopyOfKey)) is { } done)
            {
                var snaps = await SnapshotsAsync(dst, source, ct).ConfigureAwait(false);
                var time = snaps.FirstOrDefault(s => s.Id == done)?.Time ?? _time.GetUtcNow();
                return new PromotedVolume(copy, existing.Size, new RecoveryPoint(CephNames.PointId(time), time), false);
            }
            await _cli.RbdAsync(dst, ["rm", "--no-progress", dst.Image(copy)], ct).ConfigureAwait(false); // an earlier attempt died mid-copy
        }
        var chosen = await ChooseAsync(dst, source, pointId, ct).ConfigureAwait(false);
        var deadline = _time.GetUtcNow() + _options.PromoteTimeout;
        while (true)
        {
            // The head of a non-primary image holds its newest complete mirror snapshot while no sync runs.
            var snaps = await SnapshotsAsync(dst, source, ct).ConfigureAwait(false);
            var newest = snaps.Where(s => s.Namespace?.Type == "mirror").MaxBy(s => s.Id);
            if (newest is { IsCompleteReplica: true })
            {
                if (newest.Id != chosen.Id)
                    throw new ArrayException(ArrayErrorKind.InvalidRequest, $"an rbd drill copies the newest mirror snapshot of {source} ({newest.Time:u}); recovery point {pointId} is older", dst.Name, context: source);
                var size = await _cli.PythonAsync(dst, SnapshotCopy.Script, [source, copy], ct).ConfigureAwait(false);
                var after = (await SnapshotsAsync(dst, source, ct).ConfigureAwait(false)).Where(s => s.Namespace?.Type == "mirror").MaxBy(s => s.Id);
                if (after?.Id == newest.Id)
                {
                    await _cli.RbdAsync(dst, ["image-meta", "set", dst.Image(copy), CephNames.CopyOfKey, $"{source}@{newest.Id}"], ct).ConfigureAwait(false);
                    await _cli.RbdAsync(dst, ["image-meta", "set", dst.Image(copy), CephNames.DrillCopyKey, copy], ct).ConfigureAwait(false);
                    return new PromotedVolume(copy, long.Parse(size.Trim(), CultureInfo.InvariantCulture), new RecoveryPoint(CephNames.PointId(newest.Time), newest.Time), true);
                }
                await _cli.RbdAsync(dst, ["rm", "--no-progress", dst.Image(copy)], ct).ConfigureAwait(false); // a sync began during the copy
                chosen = after is { IsCompleteReplica: true } ? after : chosen;
                pointId = null;
            }
            if (_time.GetUtcNow() > deadline)
                throw new ArrayException(ArrayErrorKind.Timeout, $"{source} at {dst.Name} was syncing throughout {_options.PromoteTimeout}; no consistent copy could be made", dst.Name, context: source);
            await Task.Delay(_options.PollInterval, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Failover: the replica itself becomes primary. An orderly promote when the old primary was demoted and its
    /// demotion arrived; otherwise forced (the primary is gone or still primary: reverse resyncs it later).
    /// The promoted image rolls back to its newest complete mirror snapshot, so only that point can be recovered.
    /// </summary>
    private async Task<PromotedVolume> PromoteInPlaceAsync(CephCluster dst, string image, string? pointId, CancellationToken ct)
    {
        var info = await InfoAsync(dst, image, ct).ConfigureAwait(false)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"image {dst.Image(image)} has no replica at {dst.Name}", dst.Name, context: image);
        var snaps = await SnapshotsAsync(dst, image, ct).ConfigureAwait(false);
        var newest = snaps.Where(s => s.IsCompleteReplica).MaxBy(s => s.Id);
        if (info.Mirroring is { Primary: true })
        {
            var time = newest?.Time ?? snaps.Select(s => s.Time).DefaultIfEmpty(_time.GetUtcNow()).Max();
            return new PromotedVolume(image, info.Size, new RecoveryPoint(CephNames.PointId(time), time), false);
        }
        if (newest is null) throw new ArrayException(ArrayErrorKind.InvalidRequest, $"image {image} has no complete mirror snapshot at {dst.Name} yet (still baselining)", dst.Name, context: image);
        if (pointId is not null)
        {
            var chosen = await ChooseAsync(dst, image, pointId, ct).ConfigureAwait(false);
            if (chosen.Id != newest.Id)
                throw new ArrayException(ArrayErrorKind.InvalidRequest, $"a Ceph failover recovers the newest mirror snapshot of {image} ({newest.Time:u}); recovery point {pointId} is older and can only be drilled", dst.Name, context: image);
        }
        var orderly = newest.Namespace!.State == "demoted";
        await PromoteAsync(dst, image, force: !orderly, ct).ConfigureAwait(false);
        // Cinder renames the image when it imports it; reverse finds the old primary by this name.
        await _cli.RbdAsync(dst, ["image-meta", "set", dst.Image(image), CephNames.SourceNameKey, image], ct).ConfigureAwait(false);
        return new PromotedVolume(image, info.Size, new RecoveryPoint(CephNames.PointId(newest.Time), newest.Time), true);
    }

    private async Task PromoteAsync(CephCluster c, string image, bool force, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + _options.PromoteTimeout;
        while (true)
        {
            try
            {
                await _cli.RbdAsync(c, force ? ["mirror", "image", "promote", "--force", c.Image(image)] : ["mirror", "image", "promote", c.Image(image)], ct).ConfigureAwait(false);
                return;
            }
            // An orderly promote is refused (EROFS/EBUSY) until the peer's demotion snapshot is applied here.
            catch (ArrayException e) when (!force && e.Kind is ArrayErrorKind.InvalidRequest or ArrayErrorKind.InUse && _time.GetUtcNow() < deadline)
            {
                await Task.Delay(_options.PollInterval, _time, ct).ConfigureAwait(false);
            }
        }
    }

    public async Task<bool> ReleaseDrillCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null, CancellationToken cancellationToken = default)
    {
        if (!CephNames.IsDrillCopy(arrayVolumeName))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"refusing to release '{arrayVolumeName}': it is not a drill copy", recoveryArray.Name, context: arrayVolumeName);
        var c = CephCluster.From(recoveryArray);
        // Cinder's RBD driver renamed an imported copy volume-<id>; its metadata still says which copy it is.
        string[] names = importedAsNameId is null ? [arrayVolumeName] : [arrayVolumeName, CephNames.CinderImage(importedAsNameId)];
        foreach (var name in names)
        {
            if (await InfoAsync(c, name, cancellationToken).ConfigureAwait(false) is null) continue;
            var marker = (await MetaAsync(c, name, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(CephNames.DrillCopyKey);
            var half = marker is null && name == arrayVolumeName; // a copy that died before it was marked
            if (marker != arrayVolumeName && !half) continue;
            await _cli.RbdAsync(c, ["snap", "purge", "--no-progress", c.Image(name)], cancellationToken).ConfigureAwait(false);
            await _cli.RbdAsync(c, ["rm", "--no-progress", c.Image(name)], cancellationToken).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    public async Task<DemoteResult> DemoteSourceAsync(ReplicationGroupRef group, bool quiesce, CancellationToken cancellationToken = default)
    {
        var src = CephCluster.From(group.Source);
        var dst = CephCluster.From(group.Target);
        var members = await MembersAsync(src, group.Name, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>();
        var demotions = new Dictionary<string, long>();
        foreach (var member in members)
        {
            var info = await InfoAsync(src, member, cancellationToken).ConfigureAwait(false);
            if (info?.Mirroring is { Primary: true })
            {
                await _cli.RbdAsync(src, ["mirror", "image", "demote", src.Image(member)], cancellationToken).ConfigureAwait(false);
                changes.Add($"demoted {member} at {src.Name}");
            }
            var demoted = (await SnapshotsAsync(src, member, cancellationToken).ConfigureAwait(false))
                .Where(s => s.Namespace is { Type: "mirror", State: "demoted" } && s.Namespace.PrimarySnapId is null).MaxBy(s => s.Id);
            if (demoted is not null) demotions[member] = demoted.Id;
        }
        if (quiesce)
        {
            var deadline = _time.GetUtcNow() + _options.PromoteTimeout;
            foreach (var (member, id) in demotions)
            {
                while (!(await SnapshotsAsync(dst, member, cancellationToken).ConfigureAwait(false)).Any(s => s.IsCompleteReplica && s.Namespace!.PrimarySnapId == id))
                {
                    if (_time.GetUtcNow() > deadline)
                        throw new ArrayException(ArrayErrorKind.Timeout, $"the demotion of {member} did not reach {dst.Name} within {_options.PromoteTimeout}", dst.Name, context: member);
                    await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        return new DemoteResult(group, quiesce, null, changes);
    }

    /// <summary>
    /// A failover promotes the replica in place (no copy), and the recovery site's Cinder renames it when it
    /// imports it. Releasing it for a cancelled run keeps its data and gives it back its own name (while it is
    /// still primary there: a non-primary image cannot be renamed), so both sites' images stay named alike and the
    /// next recovery finds it. True when it was renamed back.
    /// </summary>
    public async Task<bool> ReleaseRecoveryCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null,
        CancellationToken cancellationToken = default)
    {
        if (CephNames.IsDrillCopy(arrayVolumeName))
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"refusing to release '{arrayVolumeName}' as a recovery: it is a drill copy", recoveryArray.Name, context: arrayVolumeName);
        if (importedAsNameId is null) return false;
        var c = CephCluster.From(recoveryArray);
        var imported = CephNames.CinderImage(importedAsNameId);
        if (imported == arrayVolumeName || await InfoAsync(c, imported, cancellationToken).ConfigureAwait(false) is not { Mirroring.Primary: true }) return false;
        if ((await MetaAsync(c, imported, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(CephNames.SourceNameKey) != arrayVolumeName)
            throw new ArrayException(ArrayErrorKind.InvalidRequest, $"refusing to rename '{imported}': no recovery promoted it from '{arrayVolumeName}'", c.Name, context: imported);
        await _cli.RbdAsync(c, ["rename", c.Image(imported), c.Image(arrayVolumeName)], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The target's image of a source image: under its own name, or renamed by Cinder (its metadata
    /// names the source), matched by the mirroring's global id.</summary>
    private async Task<(string Name, RbdImageInfo Info)?> ReplicaAtAsync(CephCluster c, string image, string? globalId, CancellationToken ct)
    {
        if (await InfoAsync(c, image, ct).ConfigureAwait(false) is { } same && same.Mirroring?.GlobalId == globalId) return (image, same);
        foreach (var name in await _cli.RbdJsonAsync<List<string>>(c, ["ls", c.Pool], ct).ConfigureAwait(false))
        {
            if (CephNames.IsDrillCopy(name) || name == image) continue;
            var info = await InfoAsync(c, name, ct).ConfigureAwait(false);
            if (info?.Mirroring?.GlobalId == globalId && globalId is not null) return (name, info!);
        }
        return null;
    }

    /// <summary>
    /// Reprotect or failback: the recovered images (primary at <c>group.Target</c>) replicate back. Their old
    /// primaries are demoted if still primary and resynced when they diverged (a forced promote), so
    /// rbd-mirror at the old site copies them from the new primaries.
    /// </summary>
    public async Task<ProtectionResult> ReverseAsync(ReplicationGroupRef group, IReadOnlyList<string> recoveredVolumes, TimeSpan interval,
        CancellationToken cancellationToken = default)
    {
        var oldSite = CephCluster.From(group.Source);
        var newSite = CephCluster.From(group.Target);
        await CheckPeerAsync(newSite, oldSite, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>();
        foreach (var image in recoveredVolumes)
        {
            var info = await InfoAsync(newSite, image, cancellationToken).ConfigureAwait(false)
                ?? throw new ArrayException(ArrayErrorKind.NotFound, $"recovered image {newSite.Image(image)} does not exist", newSite.Name, context: image);
            if (info.Mirroring is not { State: "enabled", Primary: true })
                throw new ArrayException(ArrayErrorKind.InvalidRequest, $"recovered image {image} is not a mirrored primary at {newSite.Name}: promote it first", newSite.Name, context: image);
            var meta = await MetaAsync(newSite, image, cancellationToken).ConfigureAwait(false);
            if (meta.GetValueOrDefault(CephNames.GroupKey) != group.Name)
            {
                await _cli.RbdAsync(newSite, ["image-meta", "set", newSite.Image(image), CephNames.GroupKey, group.Name], cancellationToken).ConfigureAwait(false);
                changes.Add($"added {image} to {group.Name}");
            }
            string[] oldNames = [meta.GetValueOrDefault(CephNames.SourceNameKey) ?? image, image];
            foreach (var oldName in oldNames.Distinct(StringComparer.Ordinal))
            {
                var old = await InfoAsync(oldSite, oldName, cancellationToken).ConfigureAwait(false);
                if (old?.Mirroring is not { } was || was.GlobalId != info.Mirroring.GlobalId) continue;
                var diverged = false;
                if (was.Primary)
                {
                    await _cli.RbdAsync(oldSite, ["mirror", "image", "demote", oldSite.Image(oldName)], cancellationToken).ConfigureAwait(false);
                    await RemoveSchedulesAsync(oldSite, oldName, cancellationToken).ConfigureAwait(false);
                    changes.Add($"demoted {oldName} at {oldSite.Name}");
                    diverged = true; // both were primary: the old one may hold writes the new one has not
                }
                else
                {
                    var status = await TryStatusAsync(oldSite, oldName, cancellationToken).ConfigureAwait(false);
                    diverged = status?.Description?.Contains("split-brain", StringComparison.OrdinalIgnoreCase) == true;
                }
                if (diverged)
                {
                    await _cli.RbdAsync(oldSite, ["mirror", "image", "resync", oldSite.Image(oldName)], cancellationToken).ConfigureAwait(false);
                    changes.Add($"resync of {oldName} at {oldSite.Name} from {newSite.Name}");
                }
                break;
            }
            if (await EnsureScheduleAsync(newSite, image, interval, cancellationToken).ConfigureAwait(false))
                changes.Add($"mirror snapshots of {image} every {CephNames.Interval(interval)}");
        }
        return new ProtectionResult(group.Reversed(), [.. recoveredVolumes.Order(StringComparer.Ordinal)], changes);
    }

    public void Dispose() => _cli.Dispose();

    // ---- helpers -------------------------------------------------------------------------------------

    private async Task<RbdPoolMirrorInfo> PoolInfoAsync(CephCluster c, CancellationToken ct) =>
        await _cli.RbdJsonAsync<RbdPoolMirrorInfo>(c, ["mirror", "pool", "info", c.Pool], ct).ConfigureAwait(false);

    /// <summary>The source pool mirrors per image and has the target's site as a peer it sends to.</summary>
    private async Task CheckPeerAsync(CephCluster src, CephCluster dst, CancellationToken ct)
    {
        var from = await PoolInfoAsync(src, ct).ConfigureAwait(false);
        var to = await PoolInfoAsync(dst, ct).ConfigureAwait(false);
        if (from.Mode != "image")
            throw new ArrayException(ArrayErrorKind.NotConnected, $"pool {src.Pool} at {src.Name} mirrors in mode '{from.Mode}', not 'image' (rbd mirror pool enable {src.Pool} image)", src.Name);
        var peer = (from.Peers ?? []).FirstOrDefault(p => p.SiteName == to.SiteName);
        if (peer is null || peer.Direction is not ("tx-only" or "rx-tx"))
            throw new ArrayException(ArrayErrorKind.NotConnected,
                $"pool {src.Pool} at {src.Name} (site {from.SiteName}) has no peer site {to.SiteName ?? "?"} it sends to (peers: {string.Join(", ", (from.Peers ?? []).Select(p => $"{p.SiteName} {p.Direction}"))})", src.Name);
    }

    private async Task<RbdImageInfo?> InfoAsync(CephCluster c, string image, CancellationToken ct)
    {
        try
        {
            return await _cli.RbdJsonAsync<RbdImageInfo>(c, ["info", c.Image(image)], ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task<RbdImageStatus?> TryStatusAsync(CephCluster c, string image, CancellationToken ct)
    {
        try
        {
            return await _cli.RbdJsonAsync<RbdImageStatus>(c, ["mirror", "image", "status", c.Image(image)], ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind is ArrayErrorKind.NotFound or ArrayErrorKind.InvalidRequest)
        {
            return null;
        }
    }

    private async Task<Dictionary<string, string>> MetaAsync(CephCluster c, string image, CancellationToken ct) =>
        await _cli.RbdJsonAsync<Dictionary<string, string>>(c, ["image-meta", "list", c.Image(image)], ct).ConfigureAwait(false);

    private async Task<List<RbdSnapshot>> SnapshotsAsync(CephCluster c, string image, CancellationToken ct)
    {
        try
        {
            return await _cli.RbdJsonAsync<List<RbdSnapshot>>(c, ["snap", "ls", "--all", c.Image(image)], ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound)
        {
            return [];
        }
    }

    /// <summary>The images of a pool carrying the group's name (drill copies never do: they are not mirrored copies).</summary>
    private async Task<List<string>> MembersAsync(CephCluster c, string group, CancellationToken ct)
    {
        var images = await _cli.RbdJsonAsync<List<string>>(c, ["ls", c.Pool], ct).ConfigureAwait(false);
        var members = new List<string>();
        foreach (var image in images.Where(i => !CephNames.IsDrillCopy(i)))
        {
            try
            {
                if ((await MetaAsync(c, image, ct).ConfigureAwait(false)).GetValueOrDefault(CephNames.GroupKey) == group) members.Add(image);
            }
            catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound)
            {
                // removed while we listed
            }
        }
        members.Sort(StringComparer.Ordinal);
        return members;
    }

    /// <summary>Times at which every member had a complete replica at or before, newest first.</summary>
    private async Task<List<RecoveryPoint>> GroupPointsAsync(CephCluster dst, IReadOnlyList<string> members, CancellationToken ct)
    {
        if (members.Count == 0) return [];
        var replicas = new List<List<DateTimeOffset>>();
        foreach (var member in members)
            replicas.Add([.. (await SnapshotsAsync(dst, member, ct).ConfigureAwait(false)).Where(s => s.IsCompleteReplica).Select(s => s.Time)]);
        return [.. replicas.SelectMany(r => r).Distinct().OrderDescending()
            .Where(t => replicas.All(r => r.Any(x => x <= t)))
            .Select(t => new RecoveryPoint(CephNames.PointId(t), t))];
    }

    /// <summary>The member's newest complete replica at or before the point (the newest one when no point is named).</summary>
    private async Task<RbdSnapshot> ChooseAsync(CephCluster dst, string image, string? pointId, CancellationToken ct)
    {
        var replicas = (await SnapshotsAsync(dst, image, ct).ConfigureAwait(false)).Where(s => s.IsCompleteReplica).OrderByDescending(s => s.Id).ToList();
        if (replicas.Count == 0) throw new ArrayException(ArrayErrorKind.NotFound, $"image {image} has no complete mirror snapshot at {dst.Name}", dst.Name, context: image);
        if (pointId is null) return replicas[0];
        var time = CephNames.PointTime(pointId) ?? throw new ArrayException(ArrayErrorKind.InvalidRequest, $"'{pointId}' is not an rbd recovery point", dst.Name, context: image);
        return replicas.FirstOrDefault(s => s.Time <= time)
            ?? throw new ArrayException(ArrayErrorKind.NotFound, $"image {image} has no mirror snapshot at {dst.Name} at or before {time:u} (pruned or never taken)", dst.Name, context: pointId);
    }

    private async Task<List<RbdScheduleItem>> ScheduleAsync(CephCluster c, string image, CancellationToken ct)
    {
        try
        {
            return await _cli.RbdJsonAsync<List<RbdScheduleItem>>(c, ["mirror", "snapshot", "schedule", "ls", "--pool", c.Pool, "--image", image], ct).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.NotFound)
        {
            return []; // no schedule: rbd answers ENOENT
        }
    }

    /// <summary>Exactly one schedule item, at the interval; true when it had to change.</summary>
    private async Task<bool> EnsureScheduleAsync(CephCluster c, string image, TimeSpan interval, CancellationToken ct)
    {
        var want = CephNames.Interval(interval);
        var items = await ScheduleAsync(c, image, ct).ConfigureAwait(false);
        if (items.Count == 1 && items[0].Interval == want && string.IsNullOrEmpty(items[0].StartTime)) return false;
        await RemoveSchedulesAsync(c, image, ct).ConfigureAwait(false);
        await _cli.RbdAsync(c, ["mirror", "snapshot", "schedule", "add", "--pool", c.Pool, "--image", image, want], ct).ConfigureAwait(false);
        return true;
    }

    private async Task RemoveSchedulesAsync(CephCluster c, string image, CancellationToken ct)
    {
        foreach (var item in await ScheduleAsync(c, image, ct).ConfigureAwait(false))
        {
            List<string> args = ["mirror", "snapshot", "schedule", "remove", "--pool", c.Pool, "--image", image, item.Interval ?? ""];
            if (!string.IsNullOrEmpty(item.StartTime)) args.Add(item.StartTime);
            await _cli.RbdAsync(c, args, ct).ConfigureAwait(false);
        }
    }

    private async Task StopMirroringAsync(CephCluster c, string image, CancellationToken ct)
    {
        await RemoveSchedulesAsync(c, image, ct).ConfigureAwait(false);
        await _cli.RbdAsync(c, ["image-meta", "remove", c.Image(image), CephNames.GroupKey], ct).ConfigureAwait(false);
        var info = await InfoAsync(c, image, ct).ConfigureAwait(false);
        if (info?.Mirroring is { State: "enabled", Primary: true })
            await _cli.RbdAsync(c, ["mirror", "image", "disable", c.Image(image)], ct).ConfigureAwait(false);
    }

    private static long ParseSnapshotId(string output, CephCluster c, string image)
    {
        // "Snapshot ID: 12"
        var text = output.Split(':', 2).ElementAtOrDefault(1)?.Trim();
        return long.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id
            : throw new ArrayException(ArrayErrorKind.Unknown, $"unexpected answer to rbd mirror image snapshot of {image}: {output.Trim()}", c.Name, context: image);
    }

    private static long? ParseCopyOf(string? value) =>
        value?.Split('@') is [_, var id] && long.TryParse(id, CultureInfo.InvariantCulture, out var snap) ? snap : null;
}
