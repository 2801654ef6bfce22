using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.Flavors;

public sealed class FlavorsApi(ServiceClient client)
{
    /// <summary>GET flavors/detail; <paramref name="includePrivate"/> (admin) lists private flavors too (is_public=None).</summary>
    public IAsyncEnumerable<Flavor> ListAsync(bool includePrivate, CancellationToken ct) =>
        Pager.ListAsync<Flavor>(client, ComputeUrls.FlavorsDetail, "flavors",
            new QueryBuilder().Add("is_public", includePrivate ? "None" : null).Build(), ct);

    public Task<Flavor> GetAsync(string id, CancellationToken ct) => client.GetAsync<Flavor>(ComputeUrls.Flavor(id), "flavor", ct);

    public Task<Flavor> CreateAsync(CreateFlavorOptions options, CancellationToken ct) =>
        client.SendAsync<Flavor>(new OpenStackRequest(Method.Post, ComputeUrls.Flavors) { Body = new { flavor = options } }, "flavor", ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(ComputeUrls.Flavor(id), ct);

    public Task<IReadOnlyDictionary<string, string>> GetExtraSpecsAsync(string id, CancellationToken ct) =>
        client.GetAsync<IReadOnlyDictionary<string, string>>(ComputeUrls.FlavorExtraSpecs(id), "extra_specs", ct);

    /// <summary>POST os-extra_specs: sets the given keys, keeps the others.</summary>
    public Task<IReadOnlyDictionary<string, string>> SetExtraSpecsAsync(string id, IReadOnlyDictionary<string, string> extraSpecs, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Post, ComputeUrls.FlavorExtraSpecs(id)) { Body = new { extra_specs = extraSpecs } }, "extra_specs", ct);
}
