using Draas.OpenStack.Core;

namespace Draas.OpenStack.Networking;

/// <summary>Neutron, read-only: the networks and subnets a recovery maps the primary's networks onto.</summary>
public sealed class NetworkingClient(ServiceClient client)
{
    public ServiceClient Client => client;

    public IAsyncEnumerable<Network> ListNetworksAsync(NetworkListOptions? options, CancellationToken ct)
    {
        var o = options ?? new NetworkListOptions();
        var query = new QueryBuilder().Add("name", o.Name).Add("project_id", o.ProjectId).Add("shared", o.Shared)
            .Add("router:external", o.External).Add("tags", o.Tags).Add("limit", o.Limit).Build();
        return Pager.ListAsync<Network>(client, NetworkingUrls.Networks, "networks", query, ct);
    }

    public Task<Network> GetNetworkAsync(string id, CancellationToken ct) => client.GetAsync<Network>(NetworkingUrls.Network(id), "network", ct);

    public IAsyncEnumerable<Subnet> ListSubnetsAsync(string? networkId, string? projectId, CancellationToken ct) =>
        Pager.ListAsync<Subnet>(client, NetworkingUrls.Subnets, "subnets",
            new QueryBuilder().Add("network_id", networkId).Add("project_id", projectId).Build(), ct);

    public Task<Subnet> GetSubnetAsync(string id, CancellationToken ct) => client.GetAsync<Subnet>(NetworkingUrls.Subnet(id), "subnet", ct);
}
