using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Draas.Plugins.Ceph;
using Draas.Storage;

namespace Draas.Tests.Storage.Conformance;

/// <summary>
/// The conformance suite against the <c>rbd</c> plugin on two real Ceph clusters with two-way snapshot
/// mirroring (tests/ceph/up.sh; <c>./tox -e ceph</c> brings them up, runs this category and stops them).
/// </summary>
[TestFixture]
[Category(Category)]
// One fixture at a time: the category shares one set of clusters or clouds.
[NonParallelizable]
[CancelAfter(600_000)]
public sealed partial class CephConformanceTests : StoragePluginConformance
{
    public const string Category = "Ceph";

    protected override Task<IConformanceLab> StartLabAsync()
    {
        var dir = Environment.GetEnvironmentVariable("DRAAS_CEPH_DIR");
        if (string.IsNullOrEmpty(dir) || !File.Exists(Path.Combine(dir, "site1", "ceph.conf")))
            Assert.Ignore("no Ceph clusters: ./tox -e ceph brings them up (DRAAS_CEPH_DIR)");
        return Task.FromResult<IConformanceLab>(new CephLab(dir!));
    }

    /// <summary>Two clusters as <c>rbd</c> arrays; the test's own hands on them are the rbd CLI and python3-rbd with each site's conf.</summary>
    internal sealed partial class CephLab : IConformanceLab
    {
        private readonly string _dir;
        private readonly CephPlugin _plugin = new(new CephPluginOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            MaxAttempts = 2,
            PollInterval = TimeSpan.FromMilliseconds(500),
        });

        public CephLab(string dir)
        {
            _dir = dir;
            Source = Site("site1");
            Target = Site("site2");
        }

        public IStoragePlugin Plugin => _plugin;
        public ArrayRef Source { get; }
        public ArrayRef Target { get; }
        public ArrayRef Unreachable { get; } = new("ceph-x", new Uri("ceph://admin@127.0.0.1:9/volumes"), "AQAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAA==");
        // Hourly: no scheduled mirror snapshot lands between a test's own replicate-now and its checks.
        public TimeSpan Interval => TimeSpan.FromHours(1);
        public TimeSpan ReplicateTimeout => TimeSpan.FromMinutes(2);

        public string Conf(ArrayRef array) => Path.Combine(_dir, array.Name, "ceph.conf");

        private ArrayRef Site(string site)
        {
            var conf = File.ReadAllText(Path.Combine(_dir, site, "ceph.conf"));
            var mon = MonV2().Match(conf).Groups[1].Value;
            var key = KeyLine().Match(File.ReadAllText(Path.Combine(_dir, site, "client.admin.keyring"))).Groups[1].Value;
            return new ArrayRef(site, new Uri($"ceph://admin@{mon}/volumes"), key);
        }

        [GeneratedRegex(@"mon_host = \[v2:([0-9.]+:\d+)")]
        private static partial Regex MonV2();

        [GeneratedRegex(@"key = (\S+)")]
        private static partial Regex KeyLine();

        public async Task<string> CreateVolumeAsync(ArrayRef array, CancellationToken ct)
        {
            var name = _plugin.ArrayVolumeName(new CinderVolumeRef(Guid.NewGuid().ToString()));
            await RunAsync("rbd", ["-c", Conf(array), "create", "--size", "64M", $"volumes/{name}"], ct);
            return name;
        }

        /// <summary>4 KiB of the marker at an offset of its own, through librbd (as a guest's writes would arrive).</summary>
        public async Task WriteAsync(ArrayRef array, string volume, string marker, CancellationToken ct)
        {
            const string script = """
import sys, zlib, rados, rbd
conf, name, marker = sys.argv[1:4]
with rados.Rados(conffile=conf) as c, c.open_ioctx("volumes") as io, rbd.Image(io, name) as img:
    block = (marker.encode() * 4096)[:4096]
    img.write(block, (zlib.crc32(marker.encode()) % 16) * (4 << 20))
    img.flush()
""";
            await RunAsync("/usr/bin/python3", ["-c", script, Conf(array), volume, marker], ct);
        }

        public async Task<string> FingerprintAsync(ArrayRef array, string volume, CancellationToken ct)
        {
            var start = new ProcessStartInfo("rbd") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-c", Conf(array), "export", "--no-progress", $"volumes/{volume}", "-" }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(ct);
            var hash = await SHA256.HashDataAsync(process.StandardOutput.BaseStream, ct);
            await process.WaitForExitAsync(ct);
            Assert.That(process.ExitCode, Is.Zero, $"rbd export {volume} at {array.Name}: {await errors}");
            return Convert.ToHexString(hash);
        }

        public async Task<IReadOnlyList<string>> VolumesAsync(ArrayRef array, CancellationToken ct) =>
            JsonSerializer.Deserialize<List<string>>(await RunAsync("rbd", ["-c", Conf(array), "ls", "--format", "json", "volumes"], ct))!;

        public static async Task<string> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct)
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) Assert.Fail($"{tool} {string.Join(' ', args.Where(a => !a.Contains('\n')))} failed: {await errors}");
            return await output;
        }

        public ValueTask DisposeAsync()
        {
            _plugin.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
