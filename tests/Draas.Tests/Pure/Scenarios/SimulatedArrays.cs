using Draas.Plugins.Pure;
using Draas.Plugins.Pure.Rest;
using Draas.Simulators.FlashArray;
using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>
/// Three simulated arrays on loopback: array-a (primary) and array-b (recovery) connected for async and
/// sync replication, array-c connected to nothing. The plugin runs on the simulator's clock, so its
/// polling and backoff pass in simulated time (60× real time) and an hourly schedule is a clock jump.
/// </summary>
internal sealed class SimulatedArrays : IAsyncDisposable
{
    private readonly List<FlashArrayClient> _clients = [];

    private SimulatedArrays(FlashArraySimulator sim, PurePlugin plugin)
    {
        Sim = sim;
        Plugin = plugin;
        A = Ref("array-a");
        B = Ref("array-b");
        C = Ref("array-c");
    }

    public FlashArraySimulator Sim { get; }
    public PurePlugin Plugin { get; }
    public ArrayRef A { get; }
    public ArrayRef B { get; }
    public ArrayRef C { get; }
    public FlashArraySimulatorAdmin Admin => Sim.Admin;

    public static async Task<SimulatedArrays> StartAsync(Func<FlashArraySimulatorOptions, FlashArraySimulatorOptions>? configure = null)
    {
        var options = new FlashArraySimulatorOptions
        {
            Arrays = [new("array-a", "token-a"), new("array-b", "token-b"), new("array-c", "token-c")],
            Connections = [new("array-a", "array-b", "async-replication"), new("array-a", "array-b", "sync-replication")],
            // Small pages make every list walk the continuation-token pager for real.
            MaxPageSize = 3,
        };
        var sim = await FlashArraySimulator.StartAsync(configure?.Invoke(options) ?? options);
        var plugin = new PurePlugin(new PurePluginOptions { FirstBackoff = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(10) }, sim.Clock);
        return new SimulatedArrays(sim, plugin);
    }

    public ArrayRef Ref(string name) => new(name, Sim.ArrayUrl(name), Sim.ApiToken(name));

    /// <summary>A plain REST client for setting the scene (creating primary volumes, looking around).</summary>
    public FlashArrayClient Client(ArrayRef array)
    {
        var client = new FlashArrayClient(new FlashArrayClientOptions
        {
            ArrayName = array.Name,
            BaseUrl = array.ManagementUrl,
            ApiToken = array.ApiToken,
            MaxAttempts = 1,
        }, Sim.Clock);
        _clients.Add(client);
        return client;
    }

    public async Task<List<string>> CreateVolumesAsync(ArrayRef array, params string[] names)
    {
        var client = Client(array);
        foreach (var name in names) await client.CreateVolumeAsync(name, 10L << 30);
        return [.. names];
    }

    public ProtectionSpec Spec(ReplicationMode mode, IReadOnlyList<string> volumes, ArrayRef? target = null, string plan = "web") =>
        new("p1", plan, A, target ?? B, mode, TimeSpan.FromHours(1), RetentionPolicy.Default, volumes);

    /// <summary>Writes <paramref name="count"/> labelled writes to each volume; returns them per volume.</summary>
    public async Task<Dictionary<string, List<SimWrite>>> WriteAsync(ArrayRef array, IEnumerable<string> volumes, string label, int count)
    {
        var written = new Dictionary<string, List<SimWrite>>();
        foreach (var volume in volumes)
        {
            written[volume] = [];
            for (var i = 1; i <= count; i++) written[volume].Add(await Admin.WriteAsync(array.Name, volume, $"{label}-{volume}-{i}"));
        }
        return written;
    }

    public async Task<List<string>> VolumeNamesAsync(ArrayRef array, string pattern)
    {
        var names = new List<string>();
        await foreach (var v in Client(array).ListVolumesAsync(new Query { { "filter", $"name='{pattern}'" } })) names.Add(v.Name);
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        Plugin.Dispose();
        await Sim.DisposeAsync();
    }
}

internal static class FlashArrayClientTestExtensions
{
    /// <summary>What an administrator does by hand on the array: not part of the plugin's vocabulary.</summary>
    public static Task RemoveGroupTargetForTestAsync(this Draas.Plugins.Pure.Rest.FlashArrayClient client, string group, string target) =>
        client.DeleteAsync("protection-groups/targets", new Draas.Plugins.Pure.Rest.Query { { "group_names", [group] }, { "member_names", [target] } }, default);
}
