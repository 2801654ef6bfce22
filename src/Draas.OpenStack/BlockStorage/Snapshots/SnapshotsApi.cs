using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.BlockStorage.Snapshots;

public sealed class SnapshotsApi(ServiceClient client)
{
    public IAsyncEnumerable<Snapshot> ListAsync(string? volumeId, bool? allTenants, CancellationToken ct) =>
        Pager.ListAsync<Snapshot>(client, BlockStorageUrls.SnapshotsDetail, "snapshots",
            new QueryBuilder().Add("volume_id", volumeId).Add("all_tenants", allTenants).Build(), ct);

    public Task<Snapshot> GetAsync(string id, CancellationToken ct) => client.GetAsync<Snapshot>(BlockStorageUrls.Snapshot(id), "snapshot", ct);

    public Task<Snapshot> CreateAsync(CreateSnapshotOptions options, CancellationToken ct) =>
        client.SendAsync<Snapshot>(new OpenStackRequest(Method.Post, BlockStorageUrls.Snapshots) { Body = new { snapshot = options } }, "snapshot", ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(BlockStorageUrls.Snapshot(id), ct, conflictIsTransient: true);

    public Task<Snapshot> WaitForStatusAsync(string id, string status, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilAsync($"snapshot {id} to become {status}", c => GetAsync(id, c), s =>
            s.Status == status ? WaitVerdict.Reached
            : s.Status.StartsWith("error", StringComparison.Ordinal) ? WaitVerdict.Failed($"snapshot went to status {s.Status}")
            : WaitVerdict.Pending, options, client.Time, ct);
}
