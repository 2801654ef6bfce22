using Draas.OpenStack.BlockStorage.Admin;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Snapshots;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.BlockStorage.VolumeTypes;
using Draas.OpenStack.Core;

namespace Draas.OpenStack.BlockStorage;

/// <summary>Cinder v3 (catalog type volumev3), microversion <see cref="ServiceApi.BlockStorage"/> by default.</summary>
public sealed class BlockStorageClient(ServiceClient client)
{
    public ServiceClient Client => client;
    public VolumesApi Volumes { get; } = new(client);
    public VolumeTypesApi VolumeTypes { get; } = new(client);
    public SnapshotsApi Snapshots { get; } = new(client);
    public ManageApi Manage { get; } = new(client);
    public BlockStorageAdminApi Admin { get; } = new(client);
}
