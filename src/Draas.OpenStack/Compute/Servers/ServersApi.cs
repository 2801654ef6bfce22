using System.Text.Json.Nodes;
using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.Servers;

/// <summary>Nova servers: list, show, create (boot from volume), delete, start/stop, metadata, waiting for a status.</summary>
public sealed class ServersApi(ServiceClient client)
{
    public IAsyncEnumerable<Server> ListAsync(ServerListOptions? options, CancellationToken ct)
    {
        var o = options ?? new ServerListOptions();
        var query = new QueryBuilder().Add("all_tenants", o.AllTenants).Add("project_id", o.ProjectId).Add("name", o.Name)
            .Add("status", o.Status).Add("limit", o.Limit).Add("marker", o.Marker).Build();
        return Pager.ListAsync<Server>(client, ComputeUrls.ServersDetail, "servers", query, ct);
    }

    public Task<Server> GetAsync(string id, CancellationToken ct) => client.GetAsync<Server>(ComputeUrls.Server(id), "server", ct);

    public Task<ServerCreated> CreateAsync(CreateServerOptions options, CancellationToken ct)
    {
        var body = new JsonObject { ["server"] = System.Text.Json.JsonSerializer.SerializeToNode(options, OpenStackJson.Options) };
        if (options.ServerGroupId is not null) body["os:scheduler_hints"] = new JsonObject { ["group"] = options.ServerGroupId };
        return client.SendAsync<ServerCreated>(new OpenStackRequest(Method.Post, ComputeUrls.Servers) { Body = body }, "server", ct);
    }

    /// <summary>DELETE; a server busy in another task answers 409, which is retried.</summary>
    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(ComputeUrls.Server(id), ct, conflictIsTransient: true);

    public Task StartAsync(string id, CancellationToken ct) => Action(id, "os-start", ct);

    /// <summary>os-stop: planned migration stops the primary's servers before the last sync.</summary>
    public Task StopAsync(string id, CancellationToken ct) => Action(id, "os-stop", ct);

    public Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string id, CancellationToken ct) =>
        client.GetAsync<IReadOnlyDictionary<string, string>>(ComputeUrls.ServerMetadata(id), "metadata", ct);

    /// <summary>POST metadata: sets the given keys, keeps the others.</summary>
    public Task<IReadOnlyDictionary<string, string>> UpdateMetadataAsync(string id, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Post, ComputeUrls.ServerMetadata(id)) { Body = new { metadata } }, "metadata", ct);

    /// <summary>PUT metadata: replaces all of it.</summary>
    public Task<IReadOnlyDictionary<string, string>> ReplaceMetadataAsync(string id, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Put, ComputeUrls.ServerMetadata(id)) { Body = new { metadata } }, "metadata", ct);

    /// <summary>Waits for <paramref name="status"/> (ACTIVE, SHUTOFF); fails fast on ERROR with Nova's fault message.</summary>
    public Task<Server> WaitForStatusAsync(string id, string status, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilAsync($"server {id} to become {status}", c => GetAsync(id, c), s => Reached(s, status), options, client.Time, ct);

    /// <summary>Waits until every one of <paramref name="ids"/> is in <paramref name="status"/> or gone, with one list
    /// (<paramref name="list"/>, e.g. a project's) per look however many servers; fails fast when one goes to ERROR.</summary>
    public Task<IReadOnlyDictionary<string, Server?>> WaitForStatusesAsync(IReadOnlyCollection<string> ids, string status, ServerListOptions list,
        WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilEachAsync($"servers {string.Join(", ", ids)} to become {status}", ids, c => ListAsync(list, c), s => s.Id, s => Reached(s, status), options, client.Time, ct);

    private static WaitVerdict Reached(Server s, string status) =>
        s.Status == status ? WaitVerdict.Reached
        : s.Status == "ERROR" ? WaitVerdict.Failed($"server went to ERROR: {s.Fault?.Message ?? "no fault recorded"}")
        : WaitVerdict.Pending;

    public Task WaitForDeletedAsync(string id, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilGoneAsync($"server {id} to be deleted", c => GetAsync(id, c), s =>
            s.Status == "ERROR" && s.TaskState is null ? WaitVerdict.Failed($"server went to ERROR: {s.Fault?.Message}") : WaitVerdict.Pending,
            options, client.Time, ct);

    Task Action(string id, string action, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Post, ComputeUrls.ServerAction(id))
        {
            Body = new JsonObject { [action] = null },
            ConflictIsTransient = true,
        }, ct);
}
