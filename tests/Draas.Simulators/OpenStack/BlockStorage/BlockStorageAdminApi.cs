using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder's operator views: scheduler pools (<c>host@backend#pool</c> with capabilities),
/// services, quota sets and absolute limits.</summary>
internal static class BlockStorageAdminApi
{
    public static void Map(RouteGroupBuilder v3, SimSite site)
    {
        v3.MapGet("/scheduler-stats/get_pools", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return ApiError.Fault(403, "Policy doesn't allow scheduler_extension:scheduler_stats:get_pools to be performed.");
            var detail = http.Request.Query["detail"].ToString() is "true" or "True" or "1";
            return site.Locked(() =>
            {
                var b = site.Backend;
                var allocated = site.BlockStorage.Volumes.Values.Where(v => v.Host == b.PoolName).Sum(v => (long)v.Size);
                var pool = detail
                    ? (object)new
                    {
                        name = b.PoolName,
                        capabilities = new Dictionary<string, object?>(CapabilitiesFilter.Capabilities(b))
                        {
                            ["total_capacity_gb"] = b.CapacityGiB,
                            ["free_capacity_gb"] = b.CapacityGiB - allocated,
                            ["allocated_capacity_gb"] = allocated,
                            ["provisioned_capacity_gb"] = allocated,
                            ["reserved_percentage"] = 0,
                            ["timestamp"] = SimJson.Time(site.Scheduler.Clock.GetUtcNow()),
                        },
                    }
                    : new { name = b.PoolName };
                return SimJson.Json(new { pools = new[] { pool } });
            });
        });

        v3.MapGet("/os-services", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return ApiError.Fault(403, "Policy doesn't allow volume_extension:services:index to be performed.");
            var now = SimJson.Time(site.Scheduler.Clock.GetUtcNow());
            var mv = Microversion.Of(http);
            Dictionary<string, object?> Service(string binary, string host)
            {
                var s = new Dictionary<string, object?>
                {
                    ["binary"] = binary,
                    ["host"] = host,
                    ["zone"] = "nova",
                    ["status"] = "enabled",
                    ["state"] = "up",
                    ["updated_at"] = now,
                    ["disabled_reason"] = null,
                };
                if (binary == "cinder-volume")
                {
                    s["replication_status"] = "enabled";
                    s["active_backend_id"] = null;
                    s["frozen"] = false;
                }
                if (mv >= new Microversion(3, 7)) s["cluster"] = null;
                if (mv >= new Microversion(3, 49) && binary == "cinder-volume") s["backend_state"] = "up";
                return s;
            }
            var binaryFilter = http.Request.Query["binary"].ToString();
            // Cinder filters on host too, the way its DB layer matches hosts: "site-a" also matches
            // the backends "site-a@pure" (and pools "site-a@pure#pure").
            var hostFilter = http.Request.Query["host"].ToString();
            static bool HostMatches(string host, string filter) =>
                host == filter || host.StartsWith(filter + "@", StringComparison.Ordinal) || host.StartsWith(filter + "#", StringComparison.Ordinal);
            var services = new[] { Service("cinder-scheduler", site.Backend.Host), Service("cinder-volume", site.Backend.ServiceHost) }
                .Where(s => binaryFilter.Length == 0 || (string?)s["binary"] == binaryFilter)
                .Where(s => hostFilter.Length == 0 || HostMatches((string)s["host"]!, hostFilter));
            return SimJson.Json(new { services });
        });

        v3.MapGet("/os-quota-sets/{target}", (HttpContext http, string target) =>
        {
            var t = http.Token();
            if (!t.IsAdmin && t.Project?.Id != target) return ApiError.Fault(403, "Policy doesn't allow volume_extension:quotas:show to be performed.");
            var usage = http.Request.Query["usage"].ToString() is "true" or "True" or "1";
            return site.Locked(() => SimJson.Json(new { quota_set = QuotaSet(site, target, usage) }));
        });
        v3.MapGet("/os-quota-sets/{target}/defaults", (string target) =>
        {
            var set = site.Locked(() => site.BlockStorage.ClassDefaults.ToDictionary(k => k.Key, k => (object)k.Value));
            set["id"] = target;
            return SimJson.Json(new { quota_set = set });
        });
        v3.MapPut("/os-quota-sets/{target}", async (HttpContext http, string target) =>
        {
            if (!http.Token().IsAdmin) return ApiError.Fault(403, "Policy doesn't allow volume_extension:quotas:update to be performed.");
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("quota_set");
            return site.Locked(() =>
            {
                if (!site.BlockStorage.Quotas.TryGetValue(target, out var q)) site.BlockStorage.Quotas[target] = q = [];
                foreach (var key in BlockStorageState.DefaultQuotas.Keys)
                    if (body.Int(key) is { } value) q[key] = value;
                var set = QuotaSet(site, target, usage: false);
                set.Remove("id");
                return SimJson.Json(new { quota_set = set });
            });
        });

        v3.MapGet("/limits", (HttpContext http) => site.Locked(() =>
        {
            var p = http.Token().Project!.Id;
            var s = site.BlockStorage;
            return SimJson.Json(new
            {
                limits = new
                {
                    rate = Array.Empty<object>(),
                    absolute = new Dictionary<string, int>
                    {
                        ["maxTotalVolumes"] = s.Quota(p, "volumes"),
                        ["maxTotalSnapshots"] = s.Quota(p, "snapshots"),
                        ["maxTotalVolumeGigabytes"] = s.Quota(p, "gigabytes"),
                        ["maxTotalBackups"] = s.Quota(p, "backups"),
                        ["maxTotalBackupGigabytes"] = s.Quota(p, "backup_gigabytes"),
                        ["totalVolumesUsed"] = s.InUse(p, "volumes"),
                        ["totalSnapshotsUsed"] = s.InUse(p, "snapshots"),
                        ["totalGigabytesUsed"] = s.InUse(p, "gigabytes"),
                        ["totalBackupsUsed"] = 0,
                        ["totalBackupGigabytesUsed"] = 0,
                    },
                },
            });
        }));
    }

    private static Dictionary<string, object> QuotaSet(SimSite site, string project, bool usage)
    {
        var set = new Dictionary<string, object> { ["id"] = project };
        foreach (var key in BlockStorageState.DefaultQuotas.Keys)
        {
            var limit = site.BlockStorage.Quota(project, key);
            set[key] = usage ? new { limit, in_use = site.BlockStorage.InUse(project, key), reserved = 0, allocated = 0 } : limit;
        }
        // Per-type quotas, as Cinder lists one trio per volume type.
        foreach (var type in site.BlockStorage.Types.Values.OrderBy(t => t.Name))
        {
            foreach (var key in new[] { "volumes", "gigabytes", "snapshots" })
                set[$"{key}_{type.Name}"] = usage ? new { limit = -1, in_use = 0, reserved = 0, allocated = 0 } : -1;
        }
        return set;
    }
}
