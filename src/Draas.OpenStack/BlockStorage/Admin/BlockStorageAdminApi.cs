using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.BlockStorage.Admin;

/// <summary>What preflight checks ask Cinder: backends and pools, service health, quotas.</summary>
public sealed class BlockStorageAdminApi(ServiceClient client)
{
    /// <summary>GET scheduler-stats/get_pools?detail=true.</summary>
    public Task<List<Pool>> ListPoolsAsync(CancellationToken ct) =>
        client.GetAsync<List<Pool>>(BlockStorageUrls.Pools, "pools", ct, new QueryBuilder().Add("detail", true).Build());

    public Task<List<CinderService>> ListServicesAsync(string? binary, string? host, CancellationToken ct) =>
        client.GetAsync<List<CinderService>>(BlockStorageUrls.Services, "services", ct,
            new QueryBuilder().Add("binary", binary).Add("host", host).Build());

    public Task<VolumeQuotaSet> GetQuotasAsync(string projectId, CancellationToken ct) =>
        client.GetAsync<VolumeQuotaSet>(BlockStorageUrls.QuotaSet(projectId), "quota_set", ct);

    /// <summary>GET os-quota-sets/{project}?usage=true: each quota (per volume type too) with what the project already uses.</summary>
    public async Task<IReadOnlyDictionary<string, QuotaUsage>> GetQuotaUsageAsync(string projectId, CancellationToken ct) =>
        QuotaUsage.From(await client.GetAsync<Dictionary<string, System.Text.Json.JsonElement>>(
            BlockStorageUrls.QuotaSet(projectId), "quota_set", ct, new QueryBuilder().Add("usage", true).Build()).ConfigureAwait(false));

    /// <summary>PUT os-quota-sets/{project}: sets the given limits (e.g. volumes, gigabytes, volumes_ssd), keeps the others.</summary>
    public Task<VolumeQuotaSet> UpdateQuotasAsync(string projectId, IReadOnlyDictionary<string, int> limits, CancellationToken ct) =>
        client.SendAsync<VolumeQuotaSet>(
            new OpenStackRequest(Method.Put, BlockStorageUrls.QuotaSet(projectId)) { Body = new { quota_set = limits } }, "quota_set", ct);
}
