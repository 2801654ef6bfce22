using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.ServerGroups;

public sealed class ServerGroupsApi(ServiceClient client)
{
    public IAsyncEnumerable<ServerGroup> ListAsync(bool allProjects, CancellationToken ct) =>
        Pager.ListAsync<ServerGroup>(client, ComputeUrls.ServerGroups, "server_groups",
            new QueryBuilder().Add("all_projects", allProjects ? true : null).Build(), ct);

    public Task<ServerGroup> GetAsync(string id, CancellationToken ct) => client.GetAsync<ServerGroup>(ComputeUrls.ServerGroup(id), "server_group", ct);

    public Task<ServerGroup> CreateAsync(CreateServerGroupOptions options, CancellationToken ct) =>
        client.SendAsync<ServerGroup>(new OpenStackRequest(Method.Post, ComputeUrls.ServerGroups) { Body = new { server_group = options } }, "server_group", ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(ComputeUrls.ServerGroup(id), ct);
}
