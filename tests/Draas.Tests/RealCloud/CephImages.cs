using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Draas.Tests.RealCloud;

/// <summary>
/// The test's own hands on a real-cloud site's Ceph cluster (tests/realcloud/cinder-rbd.sh): the rbd CLI and
/// python3-rbd with the site's ceph.conf, as a guest's writes and an operator's checks would reach the images.
/// </summary>
public sealed class CephImages(string site, string conf, string pool)
{
    public const int BlockSize = 4096;

    public string Site { get; } = site;

    public string Conf { get; } = conf;

    public static CephImages? Of(JsonNode site)
    {
        var rbd = site["rbd"];
        if (rbd is null) return null;
        return new CephImages(site["name"]!.GetValue<string>(), rbd["ceph_conf"]!.GetValue<string>(), rbd["pool"]!.GetValue<string>());
    }

    /// <summary>One 4 KiB block of <paramref name="marker"/> at <paramref name="offset"/>, through librbd (the image's exclusive lock is taken and released).</summary>
    public async Task WriteBlockAsync(string image, long offset, string marker, CancellationToken ct)
    {
        const string script = """
import sys, rados, rbd
conf, pool, name, offset, marker = sys.argv[1:6]
with rados.Rados(conffile=conf) as c, c.open_ioctx(pool) as io, rbd.Image(io, name) as img:
    img.write((marker.encode() * 4096)[:4096], int(offset))
    img.flush()
""";
        await RunAsync("/usr/bin/python3", ["-c", script, Conf, pool, image, offset.ToString(System.Globalization.CultureInfo.InvariantCulture), marker], ct);
    }

    /// <summary><c>rbd export</c> of the image: the whole image's SHA-256 and the 4 KiB blocks at <paramref name="offsets"/>.</summary>
    public async Task<(string Sha256, Dictionary<long, string> Blocks)> ExportAsync(string image, IEnumerable<long> offsets, CancellationToken ct)
    {
        var wanted = offsets.ToHashSet();
        var blocks = new Dictionary<long, string>();
        var start = new ProcessStartInfo("rbd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", Conf, "export", "--no-progress", $"{pool}/{image}", "-" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BlockSize];
        long position = 0;
        var stream = process.StandardOutput.BaseStream;
        while (true)
        {
            // Fill whole 4 KiB blocks so a wanted block is read in one piece.
            var filled = 0;
            while (filled < BlockSize)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                if (n == 0) break;
                filled += n;
            }
            if (filled == 0) break;
            sha.AppendData(buffer, 0, filled);
            if (wanted.Contains(position)) blocks[position] = Describe(buffer.AsSpan(0, filled));
            position += filled;
            if (filled < BlockSize) break;
        }
        await process.WaitForExitAsync(ct);
        Assert.That(process.ExitCode, Is.Zero, $"rbd export {image} at {Site}: {await errors}");
        return (Convert.ToHexString(sha.GetHashAndReset()), blocks);
    }

    /// <summary>What a block holds: "zeros", the marker repeated, or "other".</summary>
    private static string Describe(ReadOnlySpan<byte> block)
    {
        if (block.IndexOfAnyExcept((byte)0) < 0) return "zeros";
        var text = System.Text.Encoding.ASCII.GetString(block);
        foreach (var length in Enumerable.Range(1, 64))
        {
            var unit = text[..length];
            if (string.Concat(Enumerable.Repeat(unit, BlockSize / length + 1))[..BlockSize] == text) return unit;
        }
        return "other";
    }

    /// <summary>A mirror snapshot of the image now, as the plan's schedule would take one; its id at the primary.</summary>
    public async Task<long> MirrorSnapshotAsync(string image, CancellationToken ct)
    {
        var output = await RunAsync("rbd", ["-c", Conf, "mirror", "image", "snapshot", $"{pool}/{image}"], ct);
        return long.Parse(output.Split(':', 2)[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>This cluster holds a complete non-primary copy of the peer's mirror snapshot <paramref name="primarySnapId"/>.</summary>
    public async Task<bool> HasReplicaAsync(string image, long primarySnapId, CancellationToken ct)
    {
        var json = await RunAsync("rbd", ["-c", Conf, "snap", "ls", "--all", "--format", "json", $"{pool}/{image}"], ct, allowFailure: true);
        if (string.IsNullOrWhiteSpace(json)) return false;
        return JsonNode.Parse(json)!.AsArray().Any(s => s!["namespace"] is JsonObject ns && ns["type"]?.GetValue<string>() == "mirror"
            && ns["state"]?.GetValue<string>() == "non-primary" && ns["primary_snap_id"]?.GetValue<long>() == primarySnapId && ns["complete"]?.GetValue<bool>() == true);
    }

    public async Task<List<string>> ImagesAsync(CancellationToken ct) =>
        JsonSerializer.Deserialize<List<string>>(await RunAsync("rbd", ["-c", Conf, "ls", "--format", "json", pool], ct))!;

    public async Task<JsonNode?> InfoAsync(string image, CancellationToken ct)
    {
        var json = await RunAsync("rbd", ["-c", Conf, "info", "--format", "json", $"{pool}/{image}"], ct, allowFailure: true);
        return string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
    }

    /// <summary>Creates a plain image (what a storage plugin's promoted copy looks like to Cinder).</summary>
    public Task CreateAsync(string image, string size, CancellationToken ct) =>
        RunAsync("rbd", ["-c", Conf, "create", "--size", size, $"{pool}/{image}"], ct);

    public static async Task<string> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            if (allowFailure) return "";
            Assert.Fail($"{tool} {string.Join(' ', args.Where(a => !a.Contains('\n')))} failed: {await errors}");
        }
        return await output;
    }
}
