using System.Text.Json.Nodes;
using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Networking;

/// <summary>Neutron: what a recovery reads from the primary and rebuilds at the recovery site — networks,
/// subnets, routers, ports, security groups with rules, floating IPs — and the quotas it counts against.</summary>
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

    public Task<Network> CreateNetworkAsync(CreateNetworkOptions options, CancellationToken ct) => Create<Network>(NetworkingUrls.Networks, "network", options, ct);

    public Task DeleteNetworkAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.Network(id), ct);

    public IAsyncEnumerable<Subnet> ListSubnetsAsync(string? networkId, string? projectId, CancellationToken ct) =>
        Pager.ListAsync<Subnet>(client, NetworkingUrls.Subnets, "subnets",
            new QueryBuilder().Add("network_id", networkId).Add("project_id", projectId).Build(), ct);

    public Task<Subnet> GetSubnetAsync(string id, CancellationToken ct) => client.GetAsync<Subnet>(NetworkingUrls.Subnet(id), "subnet", ct);

    public Task<Subnet> CreateSubnetAsync(CreateSubnetOptions options, CancellationToken ct)
    {
        var body = System.Text.Json.JsonSerializer.SerializeToNode(options, OpenStackJson.Options)!.AsObject();
        if (options.NoGateway) body["gateway_ip"] = null;
        return client.SendAsync<Subnet>(new OpenStackRequest(Method.Post, NetworkingUrls.Subnets) { Body = new JsonObject { ["subnet"] = body } }, "subnet", ct);
    }

    public Task DeleteSubnetAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.Subnet(id), ct);

    public IAsyncEnumerable<Port> ListPortsAsync(NeutronFilter? filter, CancellationToken ct) =>
        Pager.ListAsync<Port>(client, NetworkingUrls.Ports, "ports", Query(filter), ct);

    public Task<Port> GetPortAsync(string id, CancellationToken ct) => client.GetAsync<Port>(NetworkingUrls.Port(id), "port", ct);

    public Task<Port> CreatePortAsync(CreatePortOptions options, CancellationToken ct) => Create<Port>(NetworkingUrls.Ports, "port", options, ct);

    public Task DeletePortAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.Port(id), ct);

    /// <summary>Replaces the port's security groups.</summary>
    public Task<Port> SetPortSecurityGroupsAsync(string id, IReadOnlyList<string> groups, CancellationToken ct) =>
        client.SendAsync<Port>(new OpenStackRequest(Method.Put, NetworkingUrls.Port(id)) { Body = new { port = new { security_groups = groups } } }, "port", ct);

    public IAsyncEnumerable<SecurityGroup> ListSecurityGroupsAsync(NeutronFilter? filter, CancellationToken ct) =>
        Pager.ListAsync<SecurityGroup>(client, NetworkingUrls.SecurityGroups, "security_groups", Query(filter), ct);

    public Task<SecurityGroup> GetSecurityGroupAsync(string id, CancellationToken ct) =>
        client.GetAsync<SecurityGroup>(NetworkingUrls.SecurityGroup(id), "security_group", ct);

    public Task<SecurityGroup> CreateSecurityGroupAsync(CreateSecurityGroupOptions options, CancellationToken ct) =>
        Create<SecurityGroup>(NetworkingUrls.SecurityGroups, "security_group", options, ct);

    public Task DeleteSecurityGroupAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.SecurityGroup(id), ct);

    public Task<SecurityGroupRule> CreateSecurityGroupRuleAsync(CreateSecurityGroupRuleOptions options, CancellationToken ct) =>
        Create<SecurityGroupRule>(NetworkingUrls.SecurityGroupRules, "security_group_rule", options, ct);

    public Task DeleteSecurityGroupRuleAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.SecurityGroupRule(id), ct);

    public IAsyncEnumerable<Router> ListRoutersAsync(NeutronFilter? filter, CancellationToken ct) =>
        Pager.ListAsync<Router>(client, NetworkingUrls.Routers, "routers", Query(filter), ct);

    public Task<Router> CreateRouterAsync(CreateRouterOptions options, CancellationToken ct) => Create<Router>(NetworkingUrls.Routers, "router", options, ct);

    /// <summary>Sets (or, with null, clears) the router's external gateway.</summary>
    public Task<Router> SetRouterGatewayAsync(string id, ExternalGateway? gateway, CancellationToken ct) =>
        client.SendAsync<Router>(new OpenStackRequest(Method.Put, NetworkingUrls.Router(id))
        {
            Body = new JsonObject { ["router"] = new JsonObject { ["external_gateway_info"] = gateway is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(gateway, OpenStackJson.Options) } },
        }, "router", ct);

    public Task AddRouterInterfaceAsync(string routerId, string subnetId, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Put, NetworkingUrls.RouterAddInterface(routerId)) { Body = new { subnet_id = subnetId } }, ct);

    public Task RemoveRouterInterfaceAsync(string routerId, string subnetId, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Put, NetworkingUrls.RouterRemoveInterface(routerId)) { Body = new { subnet_id = subnetId } }, ct);

    public Task DeleteRouterAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.Router(id), ct);

    public IAsyncEnumerable<FloatingIp> ListFloatingIpsAsync(NeutronFilter? filter, CancellationToken ct) =>
        Pager.ListAsync<FloatingIp>(client, NetworkingUrls.FloatingIps, "floatingips", Query(filter), ct);

    public Task<FloatingIp> CreateFloatingIpAsync(CreateFloatingIpOptions options, CancellationToken ct) =>
        Create<FloatingIp>(NetworkingUrls.FloatingIps, "floatingip", options, ct);

    public Task DeleteFloatingIpAsync(string id, CancellationToken ct) => Delete(NetworkingUrls.FloatingIp(id), ct);

    /// <summary>A project's Neutron limits (network, port, security_group, …; -1 unlimited).</summary>
    public Task<IReadOnlyDictionary<string, int>> GetQuotaAsync(string projectId, CancellationToken ct) =>
        client.GetAsync<IReadOnlyDictionary<string, int>>(NetworkingUrls.Quota(projectId), "quota", ct);

    /// <summary>Sets the given Neutron limits of a project (admin).</summary>
    public Task<IReadOnlyDictionary<string, int>> UpdateQuotaAsync(string projectId, IReadOnlyDictionary<string, int> limits, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, int>>(new OpenStackRequest(Method.Put, NetworkingUrls.Quota(projectId)) { Body = new { quota = limits } }, "quota", ct);

    private Task<T> Create<T>(string path, string key, object options, CancellationToken ct) =>
        client.SendAsync<T>(new OpenStackRequest(Method.Post, path)
        {
            Body = new JsonObject { [key] = System.Text.Json.JsonSerializer.SerializeToNode(options, options.GetType(), OpenStackJson.Options) },
        }, key, ct);

    /// <summary>A delete of what is already gone is done.</summary>
    private async Task Delete(string path, CancellationToken ct)
    {
        try
        {
            await client.DeleteAsync(path, ct);
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Query(NeutronFilter? f) => f is null ? [] : new QueryBuilder()
        .Add("project_id", f.ProjectId).Add("device_id", f.DeviceId).Add("network_id", f.NetworkId).Add("name", f.Name)
        .Add("security_group_id", f.SecurityGroupId).Add("port_id", f.PortId).Build();
}
