using Draas.Simulators.OpenStack.BlockStorage;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>What Nova does to Cinder when it attaches or detaches a volume: the Cinder volume goes
/// in-use with an attachment, and the array volume is connected to the compute host. Called under the
/// site's lock.</summary>
internal static class VolumeLinks
{
    public static BlockDevice Attach(SimSite site, Server server, Volume volume, string device, int? bootIndex, bool deleteOnTermination, string? tag)
    {
        var attachment = new VolumeAttachment(Guid.NewGuid().ToString(), volume.Id, server.Id, device, server.Host, site.Scheduler.Clock.GetUtcNow());
        volume.Attachments.Add(attachment);
        volume.Status = "in-use";
        volume.UpdatedAt = attachment.AttachedAt;
        site.Array.SetConnected(volume.ArrayName, true);
        var bdm = new BlockDevice(attachment.Id, volume.Id, device, bootIndex, deleteOnTermination, tag);
        server.BlockDevices.Add(bdm);
        return bdm;
    }

    public static void Detach(SimSite site, Server server, BlockDevice bdm)
    {
        server.BlockDevices.Remove(bdm);
        if (bdm.VolumeId is null || site.BlockStorage.Volumes.GetValueOrDefault(bdm.VolumeId) is not { } volume) return;
        volume.Attachments.RemoveAll(a => a.ServerId == server.Id);
        if (volume.Attachments.Count == 0)
        {
            volume.Status = "available";
            site.Array.SetConnected(volume.ArrayName, false);
        }
        volume.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
    }

    /// <summary>The next free virtio device name, as libvirt's Nova picks it: an image-booted server's local
    /// root disk is /dev/vda, the flavor's ephemeral and swap disks take the next names, so the first
    /// attached volume of an image-booted server is /dev/vdb (never /dev/vda).</summary>
    public static string NextDevice(Server server)
    {
        var taken = server.BlockDevices.Select(b => b.Device).ToList();
        var local = (server.ImageId is not null ? 1 : 0) + (server.Flavor.Ephemeral > 0 ? 1 : 0) + (server.Flavor.Swap > 0 ? 1 : 0);
        for (var c = 'a'; c <= 'z'; c++)
        {
            var name = $"/dev/vd{c}";
            if (local > 0 && !taken.Contains(name))
            {
                local--;
                continue;
            }
            if (!taken.Contains(name)) return name;
        }
        throw new InvalidOperationException("no free device name");
    }
}
