using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.BlockStorage.Manage;

/// <summary>Cinder's "manage existing": list what a backend offers and import a volume (admin).</summary>
public sealed class ManageApi(ServiceClient client)
{
    const string MinimumMicroversion = "3.8";

    /// <summary>GET manageable_volumes/detail?host=host@backend[#pool].</summary>
    public IAsyncEnumerable<ManageableVolume> ListAsync(string host, CancellationToken ct) =>
        Pager.ListAsync<ManageableVolume>(client, BlockStorageUrls.ManageableVolumesDetail, "manageable-volumes",
            new QueryBuilder().Add("host", host).Build(), ct, Microversion.AtLeast(client.Microversion, MinimumMicroversion));

    /// <summary>Imports the backend volume; answers at once with status "creating" (Cinder shows its internal "managing" so; wait for "available").</summary>
    public Task<Volume> ManageAsync(ManageVolumeOptions options, CancellationToken ct) =>
        client.SendAsync<Volume>(new OpenStackRequest(Method.Post, BlockStorageUrls.ManageableVolumes)
        {
            Body = new { volume = options },
            Microversion = Microversion.AtLeast(client.Microversion, MinimumMicroversion),
        }, "volume", ct);
}
