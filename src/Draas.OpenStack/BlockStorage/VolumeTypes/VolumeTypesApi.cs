using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.BlockStorage.VolumeTypes;

public sealed class VolumeTypesApi(ServiceClient client)
{
    /// <summary>GET types; <paramref name="includePrivate"/> (admin) adds private types with is_public=None.</summary>
    public IAsyncEnumerable<VolumeType> ListAsync(bool includePrivate, CancellationToken ct) =>
        Pager.ListAsync<VolumeType>(client, BlockStorageUrls.Types, "volume_types",
            new QueryBuilder().Add("is_public", includePrivate ? "None" : null).Build(), ct);

    public Task<VolumeType> GetAsync(string id, CancellationToken ct) => client.GetAsync<VolumeType>(BlockStorageUrls.Type(id), "volume_type", ct);

    public Task<VolumeType> CreateAsync(CreateVolumeTypeOptions options, CancellationToken ct) =>
        client.SendAsync<VolumeType>(new OpenStackRequest(Method.Post, BlockStorageUrls.Types) { Body = new { volume_type = options } }, "volume_type", ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(BlockStorageUrls.Type(id), ct);

    public Task<IReadOnlyDictionary<string, string>> GetExtraSpecsAsync(string id, CancellationToken ct) =>
        client.GetAsync<IReadOnlyDictionary<string, string>>(BlockStorageUrls.TypeExtraSpecs(id), "extra_specs", ct);

    /// <summary>POST extra_specs: sets the given keys, keeps the others.</summary>
    public Task<IReadOnlyDictionary<string, string>> SetExtraSpecsAsync(string id, IReadOnlyDictionary<string, string> extraSpecs, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Post, BlockStorageUrls.TypeExtraSpecs(id)) { Body = new { extra_specs = extraSpecs } }, "extra_specs", ct);
}
