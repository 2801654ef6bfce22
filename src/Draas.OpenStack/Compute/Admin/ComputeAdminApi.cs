using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.Admin;

/// <summary>Availability zones, quotas and limits: preflight checks before a recovery boots servers.</summary>
public sealed class ComputeAdminApi(ServiceClient client)
{
    public async Task<IReadOnlyList<AvailabilityZone>> ListAvailabilityZonesAsync(CancellationToken ct) =>
        await client.GetAsync<List<AvailabilityZone>>(ComputeUrls.AvailabilityZones, "availabilityZoneInfo", ct).ConfigureAwait(false);

    public Task<ComputeQuotaSet> GetQuotasAsync(string projectId, CancellationToken ct) =>
        client.GetAsync<ComputeQuotaSet>(ComputeUrls.QuotaSet(projectId), "quota_set", ct);

    /// <summary>GET os-quota-sets/{project}/detail: each quota with what the project already uses.</summary>
    public async Task<IReadOnlyDictionary<string, QuotaUsage>> GetQuotaUsageAsync(string projectId, CancellationToken ct) =>
        QuotaUsage.From(await client.GetAsync<Dictionary<string, System.Text.Json.JsonElement>>(ComputeUrls.QuotaSet(projectId) + "/detail", "quota_set", ct).ConfigureAwait(false));

    /// <summary>PUT os-quota-sets/{project}: sets the given limits (instances, cores, ram …), keeps the others.</summary>
    public Task<ComputeQuotaSet> UpdateQuotasAsync(string projectId, IReadOnlyDictionary<string, int> limits, CancellationToken ct) =>
        client.SendAsync<ComputeQuotaSet>(
            new OpenStackRequest(Method.Put, ComputeUrls.QuotaSet(projectId)) { Body = new { quota_set = limits } }, "quota_set", ct);

    /// <summary>The absolute limits and usage of the token's project (maxTotalCores, totalCoresUsed, …).</summary>
    public async Task<IReadOnlyDictionary<string, int>> GetAbsoluteLimitsAsync(CancellationToken ct)
    {
        var limits = await client.GetAsync<Limits>(ComputeUrls.Limits, "limits", ct).ConfigureAwait(false);
        return limits.Absolute;
    }

    sealed record Limits(Dictionary<string, int> Absolute);
}
