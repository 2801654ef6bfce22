using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.Keypairs;

public sealed class KeypairsApi(ServiceClient client)
{
    /// <summary>GET os-keypairs (of <paramref name="userId"/> when given, admin). Each item comes wrapped: {"keypair": {…}}.</summary>
    public IAsyncEnumerable<Keypair> ListAsync(string? userId, CancellationToken ct) =>
        Pager.ListAsync<Wrapped>(client, ComputeUrls.Keypairs, "keypairs", new QueryBuilder().Add("user_id", userId).Build(), ct)
            .Select(w => w.Keypair);

    public Task<Keypair> GetAsync(string name, string? userId, CancellationToken ct) =>
        client.GetAsync<Keypair>(ComputeUrls.Keypair(name), "keypair", ct, new QueryBuilder().Add("user_id", userId).Build());

    public Task<Keypair> ImportAsync(ImportKeypairOptions options, CancellationToken ct) =>
        client.SendAsync<Keypair>(new OpenStackRequest(Method.Post, ComputeUrls.Keypairs) { Body = new { keypair = options } }, "keypair", ct);

    public Task DeleteAsync(string name, string? userId, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Delete, ComputeUrls.Keypair(name)) { Query = new QueryBuilder().Add("user_id", userId).Build() }, ct);

    sealed record Wrapped(Keypair Keypair);
}
