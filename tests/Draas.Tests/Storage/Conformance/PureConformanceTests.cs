using Draas.Plugins.Pure;
using Draas.Plugins.Pure.Rest;
using Draas.Simulators.FlashArray;
using Draas.Storage;

namespace Draas.Tests.Storage.Conformance;

/// <summary>The conformance suite against the <c>pure</c> plugin on the FlashArray simulator (async protection groups).</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class PureConformanceTests : StoragePluginConformance
{
    protected override async Task<IConformanceLab> StartLabAsync() => await PureLab.StartAsync();

    private sealed class PureLab : IConformanceLab
    {
        private readonly FlashArraySimulator _sim;
        private readonly PurePlugin _plugin;
        private readonly Dictionary<string, FlashArrayClient> _clients = [];

        private PureLab(FlashArraySimulator sim, PurePlugin plugin)
        {
            _sim = sim;
            _plugin = plugin;
            Source = Ref("array-a");
            Target = Ref("array-b");
        }

        public static async Task<PureLab> StartAsync()
        {
            var sim = await FlashArraySimulator.StartAsync(new FlashArraySimulatorOptions
            {
                Arrays = [new("array-a", "token-a"), new("array-b", "token-b")],
                Connections = [new("array-a", "array-b", "async-replication")],
                MaxPageSize = 3,
            });
            return new PureLab(sim, new PurePlugin(new PurePluginOptions { FirstBackoff = TimeSpan.FromSeconds(1), RequestTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 2 }, sim.Clock));
        }

        public IStoragePlugin Plugin => _plugin;
        public ArrayRef Source { get; }
        public ArrayRef Target { get; }
        public ArrayRef Unreachable { get; } = new("array-x", new Uri("http://127.0.0.1:9"), "token-x");
        public TimeSpan Interval => TimeSpan.FromHours(1);
        public TimeSpan ReplicateTimeout => TimeSpan.FromMinutes(10);

        private ArrayRef Ref(string name) => new(name, _sim.ArrayUrl(name), _sim.ApiToken(name));

        private FlashArrayClient Client(ArrayRef array)
        {
            if (_clients.TryGetValue(array.Name, out var client)) return client;
            return _clients[array.Name] = new FlashArrayClient(new FlashArrayClientOptions
            {
                ArrayName = array.Name,
                BaseUrl = array.ManagementUrl,
                ApiToken = array.ApiToken,
                MaxAttempts = 1,
            }, _sim.Clock);
        }

        public async Task<string> CreateVolumeAsync(ArrayRef array, CancellationToken ct)
        {
            var name = _plugin.ArrayVolumeName(new CinderVolumeRef(Guid.NewGuid().ToString()));
            await Client(array).CreateVolumeAsync(name, 10L << 30, ct);
            return name;
        }

        public async Task WriteAsync(ArrayRef array, string volume, string marker, CancellationToken ct) =>
            await _sim.Admin.WriteAsync(array.Name, volume, marker, cancellationToken: ct);

        public async Task<string> FingerprintAsync(ArrayRef array, string volume, CancellationToken ct) =>
            string.Join("|", (await _sim.Admin.ReadAsync(array.Name, volume, ct)).Select(w => w.Data));

        public async Task<IReadOnlyList<string>> VolumesAsync(ArrayRef array, CancellationToken ct)
        {
            var names = new List<string>();
            await foreach (var v in Client(array).ListVolumesAsync(new Query(), ct)) names.Add(v.Name);
            return names;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients.Values) client.Dispose();
            _plugin.Dispose();
            await _sim.DisposeAsync();
        }
    }
}
