using Draas.Data;
using Draas.Domain.Manifests;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Servers;

namespace Draas.Workflows.Runs.Steps;

/// <summary>
/// Boots one server at the recovery site as it was: from its recovered boot volume (or its image, copied
/// there already), with its flavor, keypair and metadata, on the mapped networks (the original fixed IPs
/// when asked), waits for ACTIVE, then attaches its data volumes in their original order. The server
/// carries the run's mark, so a retry finds it instead of booting a second one. Looking, booting and
/// attaching happen under the step's lock: an attempt started beside a slow one (whose lease lapsed)
/// waits, then finds the server and its attachments instead of making them twice.
/// </summary>
public sealed class BootServerStep(DraasDbContext db) : IStepHandler
{
    public string Kind => RunPlanner.BootServer;

    public Task<object?> ExecuteAsync(StepContext c, CancellationToken ct) => StepLock.HoldAsync(db, c.Step.Id, () => BootAsync(c, ct), ct);

    private static async Task<object?> BootAsync(StepContext c, CancellationToken ct)
    {
        var source = c.Server(c.Required("server_id"));
        var session = c.TargetProject;
        var nova = session.Compute;
        var server = await nova.Servers.ListAsync(null, ct).FirstOrDefaultAsync(s =>
            RunNames.IsMine(s.Metadata, c.RunMark, source.Id), ct);
        if (server is null)
        {
            var created = await nova.Servers.CreateAsync(CreateOptions(c, source), ct);
            server = new Server { Id = created.Id, Name = source.Name };
        }
        server = await nova.Servers.WaitForStatusAsync(server.Id, "ACTIVE", null, ct);

        var attached = (await nova.VolumeAttachments.ListAsync(server.Id, ct)).Select(a => a.VolumeId).ToHashSet();
        var disks = new List<object>();
        foreach (var old in c.Input["data_volumes"]!.AsArray().Select(v => v!.GetValue<string>()))
        {
            var recovered = Imported(c, old);
            if (!attached.Contains(recovered))
            {
                await nova.VolumeAttachments.AttachAsync(server.Id, new AttachVolumeOptions { VolumeId = recovered }, ct);
                await session.BlockStorage.Volumes.WaitForStatusAsync(recovered, "in-use", null, ct);
            }
            disks.Add(new { from = old, volume_id = recovered });
        }
        return new
        {
            server_id = server.Id,
            name = server.Name,
            status = server.Status,
            addresses = server.Addresses.SelectMany(a => a.Value.Select(p => new { network = a.Key, address = p.Addr })).ToList(),
            data_volumes = disks,
        };
    }

    private static CreateServerOptions CreateOptions(StepContext c, ServerEntry source)
    {
        var flavor = c.Output(RunPlanner.EnsureFlavor, c.Required("flavor"))?["flavor_id"]?.GetValue<string>()
            ?? throw new StepFailedException($"the flavor of {source.Name} was not ensured");
        var key = source.KeyName is null ? null : c.Output(RunPlanner.EnsureKeypair, source.KeyName)?["name"]?.GetValue<string>();
        var resolved = c.Output(RunPlanner.Preflight, null)?["networks"]?.AsObject();
        var ports = c.Input["networks"]!.AsArray().OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(n => new NetworkRef
            {
                Uuid = resolved?[n["from"]!.GetValue<string>()]?.GetValue<string>() ?? throw new StepFailedException($"network {n["from"]} is not mapped"),
                FixedIp = n["fixed_ip"]?.GetValue<string>(),
            }).ToArray();
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
        };
    }

    private static string Imported(StepContext c, string volumeId) =>
        c.Output(RunPlanner.ImportVolume, volumeId)?["volume_id"]?.GetValue<string>() ?? throw new StepFailedException($"volume {volumeId} was not imported");
}
