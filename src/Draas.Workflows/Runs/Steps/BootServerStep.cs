using Draas.Data;
using Draas.Domain.Manifests;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Core;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Boots one server at the recovery site as it was: from its recovered boot volume (or its image, copied
/// there already), with its flavor, keypair and metadata, on the mapped networks (the original fixed IPs
/// when asked), parks until ACTIVE (holding no worker, <see cref="WaitPoller"/>), then attaches its data volumes in their original order. The server
/// carries the run's mark, so a retry finds it instead of booting a second one. Looking and booting, and
/// attaching, happen under the step's lock: an attempt started beside a slow one (whose lease lapsed)
/// waits, then finds the server and its attachments instead of making them twice.
/// </summary>
public sealed class BootServerStep(DraasDbContext db) : StepHandler<BootServerInput, BootServerOutput>
{
    public override string Kind => RunPlanner.BootServer;

    public override IReadOnlyList<string> ReadsOutputsOf => [RunPlanner.Preflight, RunPlanner.ImportVolume, RunPlanner.EnsureFlavor, RunPlanner.EnsureKeypair, NetworkPlanning.EnsurePort, NetworkPlanning.EnsureServerGroup];

    /// <summary>How long a boot may take to reach ACTIVE (as the old in-worker wait allowed).</summary>
    public static TimeSpan WaitTimeout { get; set; } = new WaitOptions().Timeout;

    public override async Task<BootServerOutput> ExecuteAsync(StepContext c, BootServerInput input, CancellationToken ct)
    {
        var nova = c.TargetProject.Compute;
        // Woken from its wait: the server exists, one GET shows what it became.
        var server = c.Woken is { Resource: { } booted } ? await nova.Servers.GetAsync(booted, ct) : await StepLock.HoldAsync(db, c.Step.Id, () => FindOrBootAsync(c, input, ct), ct);
        if (server.Status == "ERROR")
            throw new ResourceFailedException($"server {server.Id} to become ACTIVE", $"server went to ERROR: {server.Fault?.Message ?? "no fault recorded"}");
        if (server.Status != "ACTIVE")
        {
            if (c.Woken is { } late && c.Clock.GetUtcNow() >= late.Until)
                throw new WaitTimeoutException($"server {server.Id} to become ACTIVE", WaitTimeout, server.Status);
            // Booting; the wait holds no worker: the wait poller wakes this step when Nova lists it ACTIVE.
            throw c.Park(StepWait.Server, server.Id, "ACTIVE", WaitTimeout);
        }
        return await StepLock.HoldAsync(db, c.Step.Id, () => AttachAsync(c, input, server, ct), ct);
    }

    private static async Task<Server> FindOrBootAsync(StepContext c, BootServerInput input, CancellationToken ct)
    {
        var source = c.Server(input.ServerId);
        var nova = c.TargetProject.Compute;
        // Nothing of this step ran before: there is no earlier boot to find (a list of the project's servers).
        var server = c.Untouched ? null : await nova.Servers.ListAsync(null, ct).FirstOrDefaultAsync(s =>
            RunNames.IsMine(s.Metadata, c.RunMark, source.Id), ct);
        if (server is not null) return server;
        var created = await nova.Servers.CreateAsync(await CreateOptionsAsync(c, input, source, ct), ct);
        return new Server { Id = created.Id, Name = source.Name, Status = "BUILD" };
    }

    private static async Task<BootServerOutput> AttachAsync(StepContext c, BootServerInput input, Server server, CancellationToken ct)
    {
        var source = c.Server(input.ServerId);
        var session = c.TargetProject;
        var nova = session.Compute;
        // Only this execution attaches when nothing of the step ran before (the one that parked it booted, no more).
        var attached = c.Untouched ? [] : (await nova.VolumeAttachments.ListAsync(server.Id, ct)).Select(a => a.VolumeId).ToHashSet();
        var disks = new List<AttachedVolume>();
        var attaching = new List<string>();
        foreach (var old in input.DataVolumes ?? [])
        {
            var recovered = Imported(c, old);
            // In their original order (the guest names its disks by it): Nova takes each attachment in turn.
            if (!attached.Contains(recovered))
            {
                await nova.VolumeAttachments.AttachAsync(server.Id, new AttachVolumeOptions { VolumeId = recovered }, ct);
                attaching.Add(recovered);
            }
            disks.Add(new AttachedVolume(old, recovered));
        }
        // One list of the project's volumes per look waits for all of them to be in use.
        if (attaching.Count > 0) await session.BlockStorage.Volumes.WaitForStatusesAsync(attaching, "in-use", null, null, ct);
        return new BootServerOutput(server.Id, server.Name, server.Status, server.AvailabilityZone, server.AccessIPv4, RecoveredGroup(c, source),
            [.. server.Addresses.SelectMany(a => a.Value.Select(p => new BootAddress(a.Key, p.Addr)))], disks);
    }

    private static async Task<CreateServerOptions> CreateOptionsAsync(StepContext c, BootServerInput input, ServerEntry source, CancellationToken ct)
    {
        var flavor = c.Output<EnsureFlavorOutput>(RunPlanner.EnsureFlavor, input.Flavor)?.FlavorId
            ?? throw new StepFailedException($"the flavor of {source.Name} was not ensured");
        var key = source.KeyName is null ? null : c.Output<EnsureKeypairOutput>(RunPlanner.EnsureKeypair, source.KeyName)?.Name;
        var resolved = c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.Networks;
        NetworkRef[] ports = [.. (input.Networks ?? []).Select(n => new NetworkRef
        {
            Uuid = resolved?.GetValueOrDefault(n.From) ?? throw new StepFailedException($"network {n.From} is not mapped"),
            FixedIp = n.FixedIp,
        })];
        if (source.Nics.Count > 0)
        {
            // Captured with its Neutron ports: boot on the ports ensure_port made, in NIC order.
            ports = [.. source.Nics.Select(n => new NetworkRef
            {
                Port = c.Output<EnsurePortOutput>(NetworkPlanning.EnsurePort, n.PortId)?.PortId ?? throw new StepFailedException($"port {n.PortId} of {source.Name} was not recreated"),
            })];
        }
        var groupId = RecoveredGroup(c, source);
        var metadata = RunNames.Mark(source.Metadata, c.RunMark, source.Id);
        return new CreateServerOptions
        {
            Name = source.Name,
            FlavorRef = flavor,
            ImageRef = source.BootVolumeId is null ? source.ImageId : null,
            BlockDeviceMappingV2 = source.BootVolumeId is null ? null : [BlockDeviceMapping.BootVolume(Imported(c, source.BootVolumeId))],
            Networks = ports.Length == 0 ? ServerNetworks.None : ServerNetworks.Of(ports),
            KeyName = key,
            Metadata = metadata,
            Description = $"recovered by DRaaS run {c.Run.Id} from server {source.Id}",
            AvailabilityZone = await ZoneAsync(c, source, ct),
            ServerGroupId = groupId,
            UserData = source.UserData,
            ConfigDrive = source.ConfigDrive ? true : null,
            Tags = source.Tags.Count == 0 ? null : source.Tags,
        };
    }

    /// <summary>The zone through the run's <c>az_mapping</c>, else the same name when the recovery site has it,
    /// else none (Nova's default): a zone that does not exist there would fail the boot.</summary>
    private static async Task<string?> ZoneAsync(StepContext c, ServerEntry source, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(source.AvailabilityZone)) return null;
        if (c.Options.AzMapping?.GetValueOrDefault(source.AvailabilityZone) is { } mapped) return mapped;
        // The zones preflight read for the whole run; a retry reads them again.
        var zones = c.Step.Attempts == 1 && c.Output<PreflightOutput>(RunPlanner.Preflight, null)?.AvailabilityZones is { } known ? known
            : [.. (await c.TargetAdmin.Compute.Admin.ListAvailabilityZonesAsync(ct)).Select(z => z.ZoneName)];
        return zones.Contains(source.AvailabilityZone) ? source.AvailabilityZone : null;
    }

    private static string Imported(StepContext c, string volumeId) =>
        c.Output<ImportVolumeOutput>(RunPlanner.ImportVolume, volumeId)?.VolumeId ?? throw new StepFailedException($"volume {volumeId} was not imported");

    /// <summary>The recovered server group the server joins, when it was in one.</summary>
    private static string? RecoveredGroup(StepContext c, ServerEntry source) =>
        source.ServerGroupId is null ? null : c.Output<EnsureServerGroupOutput>(NetworkPlanning.EnsureServerGroup, source.ServerGroupId)?.ServerGroupId;
}
