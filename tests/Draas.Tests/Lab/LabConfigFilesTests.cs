using System.Text.Json.Nodes;
using Draas.Plugins.Pure.Rest;
using Draas.Simulators.Lab;

namespace Draas.Tests.Lab;

/// <summary>What <c>./tox -e sim</c> (<c>draas-sim lab --config-dir</c>) writes, read back the way an operator's
/// tools would: the OpenStack part as before, plus each array with its URL, token, site and Cinder backend.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class LabConfigFilesTests : LabTestBase
{
    [Test]
    public async Task Endpoints_json_points_at_both_arrays_with_tokens_that_log_in_and_show_the_sites_Cinder_volumes()
    {
        var volume = await AvailableVolumeAsync(SiteATenant, "app", sizeGiB: 1);
        var dir = Path.Combine(Path.GetTempPath(), "draas-lab-" + Guid.NewGuid().ToString("N"));
        try
        {
            await LabConfigFiles.WriteAsync(Lab, dir, Ct);

            var endpoints = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "endpoints.json"), Ct))!;
            var sites = endpoints["openstack"]!["sites"]!.AsArray();
            Assert.That(sites.Select(s => (string?)s!["volume_backend"]!["host"]), Is.EqualTo(new[] { "cinder@pure-a#pool", "cinder@pure-b#pool" }));
            var arrays = endpoints["flasharray"]!["arrays"]!.AsArray();
            Assert.That(arrays.Select(a => (string?)a!["name"]), Is.EqualTo(new[] { "array-a", "array-b" }));
            var a = arrays[0]!;
            Assert.That((string?)a["site"], Is.EqualTo("site-a"));
            Assert.That((string?)a["cinder_backend"], Is.EqualTo("cinder@pure-a#pool"));
            Assert.That(a["replication_peers"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "array-b" }));

            using var client = new FlashArrayClient(new FlashArrayClientOptions
            {
                ArrayName = (string)a["name"]!,
                BaseUrl = new Uri((string)a["url"]!),
                ApiToken = (string)a["api_token"]!,
                MaxAttempts = 1,
            }, Lab.Clock);
            Assert.That(await client.FindVolumeAsync(OnArray(volume.Id), Ct), Is.Not.Null, "the token in the file logs in to array-a");
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(Path.Combine(dir, "endpoints.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite),
                    "it holds array tokens and passwords");
            Assert.That(await File.ReadAllTextAsync(Path.Combine(dir, "clouds.yaml"), Ct), Does.Contain("site-b-demo"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
