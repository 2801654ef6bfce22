using Draas.OpenStack.Compute.Admin;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Keypairs;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Core;

namespace Draas.OpenStack.Compute;

/// <summary>Nova v2.1 (catalog type compute), microversion <see cref="ServiceApi.Compute"/> by default.</summary>
public sealed class ComputeClient(ServiceClient client)
{
    public ServiceClient Client => client;
    public ServersApi Servers { get; } = new(client);
    public FlavorsApi Flavors { get; } = new(client);
    public KeypairsApi Keypairs { get; } = new(client);
    public ServerGroupsApi ServerGroups { get; } = new(client);
    public VolumeAttachmentsApi VolumeAttachments { get; } = new(client);
    public ComputeAdminApi Admin { get; } = new(client);
}
