using System.Net;
using Draas.Domain.Manifests;
using Draas.Domain.Protection;
using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;

namespace Draas.Workflows.Protection;

/// <summary>
/// Reads a plan's members from the primary site: its servers (flavor with extra specs, keypair, networks,
/// disks in device order), every volume they use plus the plan's own and selected volumes, and the
/// images its servers boot from. A selector is evaluated on every capture, so a server added to the
/// plan's server group later is captured (and its volumes protected) in the next cycle.
/// </summary>
public sealed class TenantCapture
{
    /// <param name="projectId">The project the workload runs in now (after a reprotect, the recovery project); default the plan's.</param>
    public async Task<ManifestContent> CaptureAsync(KeystoneSession site, Plan plan, CancellationToken ct, string? projectId = null)
    {
        projectId ??= plan.ProjectId;
        var missing = new List<string>();
        var servers = new List<(Server Server, int Priority)>();
        foreach (var member in plan.Resources.Where(r => r.Kind == ResourceKind.Server))
        {
            var server = await FindAsync(() => site.Compute.Servers.GetAsync(member.ResourceId, ct));
            if (server is null) missing.Add($"server:{member.ResourceId}");
            else servers.Add((server, member.PriorityGroup));
        }

        var selector = PlanSelector.Parse(plan.Selector);
        if (selector?.ServerGroupId is { } groupId)
        {
            var group = await FindAsync(() => site.Compute.ServerGroups.GetAsync(groupId, ct));
            if (group is null || (group.ProjectId is not null && group.ProjectId != projectId)) missing.Add($"server_group:{groupId}");
            else
            {
                // An explicit member keeps its own priority group; the group's other servers boot in group 1.
                foreach (var id in group.Members.Where(id => servers.All(s => s.Server.Id != id)).Order(StringComparer.Ordinal))
                {
                    var server = await FindAsync(() => site.Compute.Servers.GetAsync(id, ct));
                    if (server is not null && server.TenantId == projectId) servers.Add((server, 1));
                }
            }
        }

        // One listing of the project's volumes gives attachments (with device names) and selector matches.
        var projectVolumes = new Dictionary<string, Volume>();
        await foreach (var volume in site.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true, ProjectId = projectId }, ct))
            projectVolumes[volume.Id] = volume;

        var wanted = new HashSet<string>(plan.Resources.Where(r => r.Kind == ResourceKind.Volume).Select(r => r.ResourceId));
        foreach (var (server, _) in servers) wanted.UnionWith(server.VolumesAttached.Select(v => v.Id));
        wanted.UnionWith(SelectedVolumes(selector?.VolumeMetadata, projectVolumes.Values));
        missing.AddRange(wanted.Where(id => !projectVolumes.ContainsKey(id)).Select(id => $"volume:{id}"));
        var volumes = wanted.Where(projectVolumes.ContainsKey).Select(id => projectVolumes[id]).ToList();

        var images = new List<ImageEntry>();
        var imageIds = servers.Select(s => s.Server.ImageId).OfType<string>().Where(id => id.Length > 0)
            .Concat(plan.Resources.Where(r => r.Kind == ResourceKind.Image).Select(r => r.ResourceId)).Distinct();
        foreach (var imageId in imageIds)
        {
            var image = await FindAsync(() => site.Image.GetAsync(imageId, ct));
            if (image is null) missing.Add($"image:{imageId}");
            else images.Add(new ImageEntry(image.Id, image.Name, image.Checksum, image.OsHashAlgo, image.OsHashValue, image.DiskFormat, image.ContainerFormat, image.Size));
        }

        var keypairs = new List<KeypairEntry>();
        foreach (var (server, _) in servers.Where(s => !string.IsNullOrEmpty(s.Server.KeyName)).DistinctBy(s => (s.Server.KeyName, s.Server.UserId)))
        {
            var keypair = await FindAsync(() => site.Compute.Keypairs.GetAsync(server.KeyName!, server.UserId, ct));
            if (keypair is null) missing.Add($"keypair:{server.KeyName}");
            else
            {
                // The owner's name finds the same user at the recovery site (user ids differ between Keystones).
                var owner = server.UserId is null ? null : await FindAsync(() => site.Identity.GetUserAsync(server.UserId, ct));
                keypairs.Add(new KeypairEntry(keypair.Name, server.UserId, keypair.PublicKey, keypair.Fingerprint, owner?.Name, keypair.Type));
            }
        }

        var topology = await NetworkCapture.ReadAsync(site, projectId, servers.Select(s => s.Server.Id), ct);
        var serverGroups = new List<ServerGroupEntry>();
        foreach (var memberOf in servers.SelectMany(s => s.Server.ServerGroups).Distinct())
        {
            var group = await FindAsync(() => site.Compute.ServerGroups.GetAsync(memberOf, ct));
            if (group is null) continue;
            serverGroups.Add(new ServerGroupEntry(group.Id, group.Name, group.Policy,
                new SortedDictionary<string, string>(group.Rules.ToDictionary(r => r.Key, r => r.Value.ToString()), StringComparer.Ordinal),
                [.. group.Members.Order(StringComparer.Ordinal)]));
        }
        var volumeTypes = new List<VolumeTypeEntry>();
        var typeNames = volumes.Select(v => v.VolumeType).OfType<string>().Distinct().ToList();
        if (typeNames.Count > 0)
        {
            await foreach (var type in site.BlockStorage.VolumeTypes.ListAsync(true, ct))
            {
                if (!typeNames.Contains(type.Name)) continue;
                volumeTypes.Add(new VolumeTypeEntry(type.Name, new SortedDictionary<string, string>(type.ExtraSpecs.ToDictionary(), StringComparer.Ordinal)));
            }
        }

        return new ManifestContent
        {
            ProjectId = projectId,
            Servers = [.. servers.Select(s => ServerEntryOf(s.Server, s.Priority, projectVolumes) with
            {
                Nics = topology.Nics.GetValueOrDefault(s.Server.Id) ?? [],
            })],
            Volumes = [.. volumes.Select(VolumeEntryOf)],
            Images = images,
            Keypairs = keypairs,
            TenantNetworks = topology.Networks,
            Subnets = topology.Subnets,
            Routers = topology.Routers,
            SecurityGroups = topology.SecurityGroups,
            FloatingIps = topology.FloatingIps,
            ServerGroups = serverGroups,
            VolumeTypes = volumeTypes,
            Missing = [.. missing.Order(StringComparer.Ordinal)],
        };
    }

    private static ServerEntry ServerEntryOf(Server server, int priority, IReadOnlyDictionary<string, Volume> volumes)
    {
        var disks = server.VolumesAttached
            .Select(v => new DiskEntry(v.Id, volumes.GetValueOrDefault(v.Id)?.Attachments.FirstOrDefault(a => a.ServerId == server.Id)?.Device))
            .OrderBy(d => d.Device ?? "~", StringComparer.Ordinal).ThenBy(d => d.VolumeId, StringComparer.Ordinal)
            .ToList();
        var imageId = string.IsNullOrEmpty(server.ImageId) ? null : server.ImageId;
        return new ServerEntry
        {
            Id = server.Id,
            Name = server.Name,
            Flavor = new FlavorEntry(server.Flavor.OriginalName, server.Flavor.Vcpus, server.Flavor.Ram, server.Flavor.Disk,
                server.Flavor.Ephemeral, server.Flavor.Swap, new SortedDictionary<string, string>(server.Flavor.ExtraSpecs.ToDictionary(), StringComparer.Ordinal)),
            ImageId = imageId,
            // A server without an image boots from the volume on its first device.
            BootVolumeId = imageId is null ? disks.FirstOrDefault()?.VolumeId : null,
            KeyName = server.KeyName,
            AvailabilityZone = server.AvailabilityZone,
            PriorityGroup = priority,
            Metadata = new SortedDictionary<string, string>(server.Metadata.ToDictionary(), StringComparer.Ordinal),
            SecurityGroups = [.. server.SecurityGroups.Select(g => g.Name).Distinct().Order(StringComparer.Ordinal)],
            Networks = [.. server.Addresses.OrderBy(a => a.Key, StringComparer.Ordinal)
                .SelectMany(a => a.Value.Select(p => new PortEntry(a.Key, p.Addr, p.Version, p.Type, p.MacAddr)))],
            Disks = disks,
            UserData = server.UserData,
            ConfigDrive = server.ConfigDrive is "True" or "true",
            Tags = [.. server.Tags.Order(StringComparer.Ordinal)],
            ServerGroupId = server.ServerGroups.FirstOrDefault(),
            UserId = server.UserId,
        };
    }

    private static VolumeEntry VolumeEntryOf(Volume v) => new()
    {
        Id = v.Id,
        NameId = string.IsNullOrEmpty(v.NameId) ? v.Id : v.NameId,
        ProviderId = string.IsNullOrEmpty(v.ProviderId) ? null : v.ProviderId,
        Name = v.Name,
        Size = v.Size,
        VolumeType = v.VolumeType,
        Bootable = v.Bootable,
        Host = v.Host,
        Metadata = new SortedDictionary<string, string>(v.Metadata.ToDictionary(), StringComparer.Ordinal),
        Attachments = [.. v.Attachments.Where(a => a.ServerId is not null).Select(a => new AttachmentEntry(a.ServerId!, a.Device)).OrderBy(a => a.ServerId, StringComparer.Ordinal)],
    };

    /// <summary><c>{"volume_metadata": {"draas:protect": "true"}}</c> selects every project volume carrying all those pairs.</summary>
    private static IEnumerable<string> SelectedVolumes(IReadOnlyDictionary<string, string>? pairs, IEnumerable<Volume> volumes) =>
        pairs is null ? [] : volumes.Where(v => pairs.All(p => v.Metadata.TryGetValue(p.Key, out var value) && value == p.Value)).Select(v => v.Id).ToList();

    /// <summary>A member that is gone (404) is recorded as missing, not an error.</summary>
    private static async Task<T?> FindAsync<T>(Func<Task<T>> get) where T : class
    {
        try
        {
            return await get();
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
