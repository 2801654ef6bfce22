using System.Globalization;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>
/// What an operator's checks ask Nova before a recovery and after it, admin-only as in Nova's default policy:
/// <c>compute service list</c> (os-services), <c>hypervisor list</c> (os-hypervisors, detail) and
/// <c>usage list</c> (os-simple-tenant-usage, paged by tenant id as 2.40 does). The site has one compute
/// host, the one its servers run on, plus the conductor and scheduler.
/// </summary>
internal static class ComputeOperatorApi
{
    private static readonly Microversion UuidIds = new(2, 53);

    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        IResult Forbidden(string rule) => ApiError.Fault(403, $"Policy doesn't allow {rule} to be performed.");
        var computeHost = $"{site.Name}-compute-1";

        v21.MapGet("/os-services", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden("os_compute_api:os-services:list");
            var uuids = Microversion.Of(http) >= UuidIds;
            var now = SimJson.Time(site.Scheduler.Clock.GetUtcNow());
            var services = new[] { ("nova-conductor", $"{site.Name}-controller", "internal"), ("nova-scheduler", $"{site.Name}-controller", "internal"), ("nova-compute", computeHost, "nova") }
                .Select((s, i) => new Dictionary<string, object?>
                {
                    ["id"] = uuids ? StableId(site, s.Item1) : i + 1,
                    ["binary"] = s.Item1,
                    ["host"] = s.Item2,
                    ["zone"] = s.Item3,
                    ["status"] = "enabled",
                    ["state"] = "up",
                    ["updated_at"] = now,
                    ["disabled_reason"] = null,
                    ["forced_down"] = false,
                })
                .Where(s => http.Request.Query["binary"].ToString() is not { Length: > 0 } b || (string)s["binary"]! == b)
                .Where(s => http.Request.Query["host"].ToString() is not { Length: > 0 } h || (string)s["host"]! == h);
            return SimJson.Json(new { services });
        });

        object Hypervisor(HttpContext http, bool detail)
        {
            var h = new Dictionary<string, object?>
            {
                ["id"] = Microversion.Of(http) >= UuidIds ? StableId(site, "hypervisor") : 1,
                ["hypervisor_hostname"] = computeHost,
                ["state"] = "up",
                ["status"] = "enabled",
            };
            if (detail)
            {
                h["hypervisor_type"] = "QEMU";
                h["hypervisor_version"] = 7002000;
                h["host_ip"] = "127.0.0.1";
                h["service"] = new Dictionary<string, object?> { ["host"] = computeHost, ["id"] = h["id"], ["disabled_reason"] = null };
                // Figures left the API at 2.88 (placement has them); older microversions still show them.
                if (Microversion.Of(http) < new Microversion(2, 88))
                {
                    var running = site.Compute.Servers.Values.Where(s => s.Status != "DELETED").ToList();
                    h["vcpus"] = 64;
                    h["memory_mb"] = 262_144;
                    h["local_gb"] = 4_096;
                    h["vcpus_used"] = running.Sum(s => s.Flavor.Vcpus);
                    h["memory_mb_used"] = running.Sum(s => s.Flavor.Ram);
                    h["local_gb_used"] = running.Sum(s => s.Flavor.Disk);
                    h["running_vms"] = running.Count;
                }
            }
            return h;
        }
        v21.MapGet("/os-hypervisors", (HttpContext http) => http.Token().IsAdmin
            ? site.Locked(() => SimJson.Json(new { hypervisors = new[] { Hypervisor(http, detail: false) } }))
            : Forbidden("os_compute_api:os-hypervisors:list"));
        v21.MapGet("/os-hypervisors/detail", (HttpContext http) => http.Token().IsAdmin
            ? site.Locked(() => SimJson.Json(new { hypervisors = new[] { Hypervisor(http, detail: true) } }))
            : Forbidden("os_compute_api:os-hypervisors:list-detail"));

        v21.MapGet("/os-simple-tenant-usage", (HttpContext http) =>
        {
            if (!http.Token().IsAdmin) return Forbidden("os_compute_api:os-simple-tenant-usage:list");
            var q = http.Request.Query;
            var now = site.Scheduler.Clock.GetUtcNow();
            if (!TryTime(q["start"].ToString(), now.AddDays(-1), out var start) || !TryTime(q["end"].ToString(), now, out var end))
                return ApiError.Fault(400, "Invalid input received: Invalid start or end time.");
            if (start > end) return ApiError.Fault(400, "Invalid input received: start time must be before end time.");
            var detailed = q["detailed"].ToString() is "1" or "true" or "True";
            var marker = q["marker"].ToString();
            var limit = int.TryParse(q["limit"], CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
            return site.Locked(() =>
            {
                var usages = site.Compute.Servers.Values
                    .Where(s => s.CreatedAt < end)
                    .GroupBy(s => s.ProjectId)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Where(g => marker.Length == 0 || string.CompareOrdinal(g.Key, marker) > 0)
                    .Take(limit)
                    .Select(g =>
                    {
                        var servers = g.Select(s =>
                        {
                            var hours = Math.Max(0, ((end < now ? end : now) - (s.CreatedAt > start ? s.CreatedAt : start)).TotalHours);
                            return new Dictionary<string, object?>
                            {
                                ["instance_id"] = s.Id,
                                ["name"] = s.Name,
                                ["hours"] = hours,
                                ["vcpus"] = s.Flavor.Vcpus,
                                ["memory_mb"] = s.Flavor.Ram,
                                ["local_gb"] = s.Flavor.Disk,
                                ["flavor"] = s.Flavor.Name,
                                ["tenant_id"] = s.ProjectId,
                                ["started_at"] = SimJson.Time(s.CreatedAt),
                                ["ended_at"] = null,
                                ["state"] = s.VmState,
                                ["uptime"] = (long)(now - s.CreatedAt).TotalSeconds,
                            };
                        }).ToList();
                        var usage = new Dictionary<string, object?>
                        {
                            ["tenant_id"] = g.Key,
                            ["start"] = SimJson.Time(start),
                            ["stop"] = SimJson.Time(end),
                            ["total_hours"] = servers.Sum(s => (double)s["hours"]!),
                            ["total_vcpus_usage"] = servers.Sum(s => (double)s["hours"]! * (int)s["vcpus"]!),
                            ["total_memory_mb_usage"] = servers.Sum(s => (double)s["hours"]! * (int)s["memory_mb"]!),
                            ["total_local_gb_usage"] = servers.Sum(s => (double)s["hours"]! * (int)s["local_gb"]!),
                        };
                        if (detailed) usage["server_usages"] = servers;
                        return usage;
                    })
                    .ToList();
                return SimJson.Json(new Dictionary<string, object?> { ["tenant_usages"] = usages });
            });
        });
    }

    /// <summary>Nova takes <c>2026-01-01T00:00:00</c>, with or without a fraction; no value means its default.</summary>
    private static bool TryTime(string raw, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        return raw.Length == 0 || DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static string StableId(SimSite site, string what) =>
        new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(site.Name + "/" + what))).ToString();
}
