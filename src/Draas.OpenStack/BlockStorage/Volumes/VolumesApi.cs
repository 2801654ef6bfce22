using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.BlockStorage.Volumes;

/// <summary>Cinder volumes: list, show, create, delete, metadata, bootable, unmanage, and waiting for a status.</summary>
public sealed class VolumesApi(ServiceClient client)
{
    /// <summary>Statuses a volume does not leave by itself; a waiter stops at once on these.</summary>
    static readonly HashSet<string> ErrorStatuses =
        ["error", "error_managing", "error_deleting", "error_restoring", "error_extending", "error_backing-up"];

    /// <summary>Whether a volume in <paramref name="status"/> will not leave it by itself.</summary>
    public static bool IsErrorStatus(string? status) => status is not null && ErrorStatuses.Contains(status);

    public IAsyncEnumerable<Volume> ListAsync(VolumeListOptions? options, CancellationToken ct)
    {
        var o = options ?? new VolumeListOptions();
        var query = new QueryBuilder()
            .Add("all_tenants", o.AllTenants).Add("project_id", o.ProjectId).Add("name", o.Name).Add("status", o.Status)
            .Add("sort", o.Sort).Add("limit", o.Limit).Add("marker", o.Marker).Build();
        return Pager.ListAsync<Volume>(client, BlockStorageUrls.VolumesDetail, "volumes", query, ct);
    }

    public Task<Volume> GetAsync(string id, CancellationToken ct) => client.GetAsync<Volume>(BlockStorageUrls.Volume(id), "volume", ct);

    public Task<Volume> CreateAsync(CreateVolumeOptions options, CancellationToken ct) =>
        client.SendAsync<Volume>(new OpenStackRequest(Method.Post, BlockStorageUrls.Volumes) { Body = new { volume = options } }, "volume", ct);

    /// <summary>DELETE; <paramref name="cascade"/> deletes its snapshots too. A volume busy detaching answers 409, which is retried.</summary>
    public Task DeleteAsync(string id, bool cascade, CancellationToken ct) =>
        client.SendAsync(new OpenStackRequest(Method.Delete, BlockStorageUrls.Volume(id))
        {
            Query = new QueryBuilder().Add("cascade", cascade ? true : null).Build(),
            ConflictIsTransient = true,
        }, ct);

    public Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string id, CancellationToken ct) =>
        client.GetAsync<IReadOnlyDictionary<string, string>>(BlockStorageUrls.VolumeMetadata(id), "metadata", ct);

    /// <summary>POST metadata: adds or overwrites the given keys, keeps the others.</summary>
    public Task<IReadOnlyDictionary<string, string>> UpdateMetadataAsync(string id, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Post, BlockStorageUrls.VolumeMetadata(id)) { Body = new { metadata } }, "metadata", ct);

    /// <summary>PUT metadata: replaces all of it.</summary>
    public Task<IReadOnlyDictionary<string, string>> ReplaceMetadataAsync(string id, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        client.SendAsync<IReadOnlyDictionary<string, string>>(
            new OpenStackRequest(Method.Put, BlockStorageUrls.VolumeMetadata(id)) { Body = new { metadata } }, "metadata", ct);

    /// <summary>os-set_bootable: an imported boot volume must be marked bootable before Nova boots from it.</summary>
    public Task SetBootableAsync(string id, bool bootable, CancellationToken ct) =>
        Action(id, "os-set_bootable", new { bootable }, ct);

    /// <summary>os-unmanage: Cinder forgets the volume, the backend keeps it (drill cleanup, reprotect).</summary>
    public Task UnmanageAsync(string id, CancellationToken ct) => Action(id, "os-unmanage", new { }, ct, conflictIsTransient: true);

    /// <summary>Waits for <paramref name="status"/>; fails fast on an error status such as error_managing.</summary>
    public Task<Volume> WaitForStatusAsync(string id, string status, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilAsync($"volume {id} to become {status}", c => GetAsync(id, c), v => Reached(v, status), options, client.Time, ct);

    /// <summary>Waits until every one of <paramref name="ids"/> is in <paramref name="status"/> or gone, with one list
    /// (<paramref name="list"/>; null: the project's volumes) per look however many volumes; fails fast on an error status.</summary>
    public Task<IReadOnlyDictionary<string, Volume?>> WaitForStatusesAsync(IReadOnlyCollection<string> ids, string status, VolumeListOptions? list,
        WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilEachAsync($"volumes {string.Join(", ", ids)} to become {status}", ids, c => ListAsync(list, c), v => v.Id, v => Reached(v, status), options, client.Time, ct);

    private static WaitVerdict Reached(Volume v, string status) =>
        v.Status == status ? WaitVerdict.Reached
        : ErrorStatuses.Contains(v.Status) ? WaitVerdict.Failed($"volume went to status {v.Status}")
        : WaitVerdict.Pending;

    public Task WaitForDeletedAsync(string id, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilGoneAsync($"volume {id} to be deleted", c => GetAsync(id, c), v =>
            v.Status == "error_deleting" ? WaitVerdict.Failed("volume went to status error_deleting") : WaitVerdict.Pending,
            options, client.Time, ct);

    Task Action(string id, string action, object body, CancellationToken ct, bool conflictIsTransient = false) =>
        client.SendAsync(new OpenStackRequest(Method.Post, BlockStorageUrls.VolumeAction(id))
        {
            Body = new Dictionary<string, object> { [action] = body },
            ConflictIsTransient = conflictIsTransient,
        }, ct);
}
