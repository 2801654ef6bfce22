using System.Globalization;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Benchmarks;

/// <summary>
/// What the clouds cost, in real time (the lab runs at 1x, so the service's clock and the lab's agree):
/// every OpenStack and FlashArray request, Cinder's managing → available, Nova's BUILD → ACTIVE, the array
/// copy that promotes a replica, and the probe that answers a health check. The bound is computed from the
/// same numbers the simulators are given. The clouds' own limits too: the recovery site's Cinder backend
/// manages so many volumes at once (Cinder's default backend_native_threads_pool_size is 20), Nova builds so
/// many servers at once, the array makes so many copies at once; beyond them work queues in the cloud.
/// </summary>
public sealed record LatencyModel
{
    public TimeSpan OpenStackCall { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_OS_CALL_MS", 20));
    public TimeSpan ArrayCall { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_ARRAY_CALL_MS", 10));
    public TimeSpan CinderManage { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_MANAGE_MS", 2000));
    public TimeSpan NovaBuild { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_BUILD_MS", 5000));
    public TimeSpan ArrayPromote { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_PROMOTE_MS", 1000));
    public TimeSpan HealthCheck { get; init; } = TimeSpan.FromMilliseconds(Ms("DRAAS_BENCH_HEALTH_MS", 500));
    public int ManagesPerBackend { get; init; } = (int)Ms("DRAAS_BENCH_CINDER_MANAGES", 20);
    public int BuildsPerSite { get; init; } = (int)Ms("DRAAS_BENCH_NOVA_BUILDS", 20);
    public int CopiesPerArray { get; init; } = (int)Ms("DRAAS_BENCH_ARRAY_COPIES", 20);

    /// <summary>Cinder and Nova status changes for the measured part (volume creation is setup, kept instant).</summary>
    public SimDelays Delays => SimDelays.None with { VolumeManage = CinderManage, ServerBuild = NovaBuild, Probe = HealthCheck };

    /// <summary>Turns the model on: per-call latency on every site's services and arrays, status-change delays,
    /// the clouds' limits (the arrays' copy limit is set when the lab starts).</summary>
    public async Task ApplyAsync(DrLab lab)
    {
        foreach (var site in lab.Sites)
        {
            site.OpenStack.Delays = Delays;
            site.OpenStack.MaxConcurrentManages = ManagesPerBackend;
            site.OpenStack.MaxConcurrentBuilds = BuildsPerSite;
            foreach (var service in SiteFaults.Services) site.OpenStack.Faults.Set(service, new ServiceFault { Latency = OpenStackCall });
            await lab.FlashArray.Admin.SetFaultsAsync(site.ArrayName, (int)ArrayCall.TotalMilliseconds, 0).ConfigureAwait(false);
        }
    }

    /// <summary>Setup runs without latency, so building a hundred tenants takes seconds.</summary>
    public static async Task ClearAsync(DrLab lab)
    {
        foreach (var site in lab.Sites)
        {
            site.OpenStack.Delays = SimDelays.None;
            site.OpenStack.MaxConcurrentManages = 0;
            site.OpenStack.MaxConcurrentBuilds = 0;
            site.OpenStack.Faults.Clear();
            await lab.FlashArray.Admin.SetFaultsAsync(site.ArrayName, 0, 0).ConfigureAwait(false);
        }
    }

    /// <summary>The least time any orchestrator needs for one step, with these clouds: the requests it cannot
    /// avoid plus the clouds' own state changes. Polls are assumed perfect (one look, right when it is done).</summary>
    public TimeSpan StepMinimum(string kind, int dataVolumes) => kind switch
    {
        "promote_volume" => ArrayCall + ArrayPromote,
        "import_volume" => OpenStackCall + CinderManage + OpenStackCall,
        "boot_server" => OpenStackCall + NovaBuild + OpenStackCall + dataVolumes * OpenStackCall,
        "health_check" => HealthCheck,
        _ => OpenStackCall,
    };

    public static string StepFormulas =>
        "promote_volume = array_call + promote; import_volume = 2 x os_call + cinder_manage; " +
        "boot_server = 2 x os_call + nova_build + os_call per data volume; health_check = health_check; every other step = os_call";

    public IReadOnlyDictionary<string, object> Describe() => new Dictionary<string, object>
    {
        ["openstack_call_ms"] = OpenStackCall.TotalMilliseconds,
        ["array_call_ms"] = ArrayCall.TotalMilliseconds,
        ["cinder_managing_to_available_ms"] = CinderManage.TotalMilliseconds,
        ["nova_build_to_active_ms"] = NovaBuild.TotalMilliseconds,
        ["array_promote_ms"] = ArrayPromote.TotalMilliseconds,
        ["health_check_ms"] = HealthCheck.TotalMilliseconds,
        ["cinder_manages_at_once_per_backend"] = ManagesPerBackend,
        ["nova_builds_at_once_per_site"] = BuildsPerSite,
        ["array_copies_at_once_per_array"] = CopiesPerArray,
        ["clock"] = "real time: the lab runs at 1x and the service on the system clock",
    };

    /// <summary>Every OpenStack request the lab's sites have answered so far (Keystone's included).</summary>
    public static long OpenStackRequests(DrLab lab) => lab.Sites.Sum(s => s.OpenStack.Requests);

    private static double Ms(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
