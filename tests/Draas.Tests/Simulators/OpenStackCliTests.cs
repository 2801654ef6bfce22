using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>The must-show of issue 3: the official openstack command-line client (Debian's
/// python3-openstackclient) works against the simulator. Each test drives the real CLI with
/// <c>-f json</c> and asserts on what it printed.</summary>
[TestFixture]
[Category("OpenStackCli")]
public sealed class OpenStackCliTests
{
    private OpenStackSimulator _sim = null!;
    private string _dir = null!;
    private string _clouds = null!;
    private readonly ConcurrentQueue<string> _requests = new();

    [OneTimeSetUp]
    public async Task StartSimulatorAndWriteCloudsYaml()
    {
        if (await OpenStackCli.EnsureInstalledAsync() is { } reason) Assert.Ignore(reason);
        // The real clock: keystoneauth compares token expiry with the wall clock. No delays, so a
        // created volume is usable by the next command.
        _sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Delays = SimDelays.None, RequestLog = _requests.Enqueue });
        _dir = Directory.CreateTempSubdirectory("draas-oscli-").FullName;
        await SimConfigFiles.WriteAsync(_sim, _dir);
        _clouds = Path.Combine(_dir, "clouds.yaml");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_sim is not null) await _sim.DisposeAsync();
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonNode> Cli(string cloud, params string[] args)
    {
        var result = await OpenStackCli.RunAsync(_clouds, cloud, [.. args, "-f", "json"]);
        Assert.That(result.ExitCode, Is.EqualTo(0),
            $"openstack {string.Join(' ', args)} failed:\n{result.Stderr}\nlast requests:\n{string.Join('\n', _requests.TakeLast(10))}");
        return JsonNode.Parse(result.Stdout) ?? throw new AssertionException("no JSON output");
    }

    private static IEnumerable<string> Names(JsonNode list) => list.AsArray().Select(x => x!["Name"]!.GetValue<string>());

    [Test]
    public async Task TokenIssue_GivesAProjectScopedTokenOfTheSitesOwnKeystone()
    {
        var siteA = _sim.Site("site-a");
        var token = await Cli("site-a", "token", "issue");

        Assert.That(token["project_id"]!.GetValue<string>(), Is.EqualTo(siteA.ProjectId("admin")));
        Assert.That(siteA.Identity.Validate(token["id"]!.GetValue<string>()), Is.Not.Null, "site-a's Keystone knows the token");
        Assert.That(_sim.Site("site-b").Identity.Validate(token["id"]!.GetValue<string>()), Is.Null, "site-b's does not");
        Assert.That(DateTimeOffset.Parse(token["expires"]!.GetValue<string>()), Is.GreaterThan(DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task ProjectList_AsCloudAdmin_ShowsTheSeededProjects()
    {
        var projects = await Cli("site-b", "project", "list");

        Assert.That(Names(projects), Is.SupersetOf(new[] { "admin", "demo", "service" }));
        Assert.That(projects.AsArray().Single(p => p!["Name"]!.GetValue<string>() == "demo")!["ID"]!.GetValue<string>(),
            Is.EqualTo(_sim.Site("site-b").ProjectId("demo")));
    }

    [Test]
    public async Task VolumeCreateThenShow_ReportsTheVolumeAvailableWithItsSizeTypeAndBackendHost()
    {
        var created = await Cli("site-a", "volume", "create", "--size", "2", "--property", "tier=gold", "cli-data-1");
        Assert.That(created["size"]!.GetValue<int>(), Is.EqualTo(2));

        var shown = await Cli("site-a", "volume", "show", "cli-data-1");

        Assert.That(shown["id"]!.GetValue<string>(), Is.EqualTo(created["id"]!.GetValue<string>()));
        Assert.That(shown["status"]!.GetValue<string>(), Is.EqualTo("available"));
        Assert.That(shown["type"]!.GetValue<string>(), Is.EqualTo("pure"));
        Assert.That(shown["os-vol-host-attr:host"]!.GetValue<string>(), Is.EqualTo("site-a@pure#pure"));
        Assert.That(shown["properties"]!["tier"]!.GetValue<string>(), Is.EqualTo("gold"));
        Assert.That(_sim.Site("site-a").Array.Find($"volume-{shown["id"]}-cinder"), Is.Not.Null, "the array holds the backing volume");
    }

    [Test]
    public async Task VolumeList_AsAProjectMember_ShowsOnlyThatProjectsVolumes()
    {
        await Cli("site-a", "volume", "create", "--size", "1", "cli-admin-only");
        await Cli("site-a-demo", "volume", "create", "--size", "1", "cli-demo-owned");

        var asDemo = Names(await Cli("site-a-demo", "volume", "list")).ToList();
        var asAdmin = Names(await Cli("site-a", "volume", "list")).ToList();

        Assert.That(asDemo, Does.Contain("cli-demo-owned").And.Not.Contain("cli-admin-only"));
        Assert.That(asAdmin, Does.Contain("cli-admin-only").And.Not.Contain("cli-demo-owned"), "without --all-projects an admin sees its own project");
    }

    [Test]
    public async Task ServerCreate_BootsFromAVolumeOnTheNamedNetwork_AndServerListShowsItActive()
    {
        await Cli("site-a", "volume", "create", "--size", "1", "--bootable", "cli-boot-1");

        var server = await Cli("site-a", "server", "create", "--volume", "cli-boot-1", "--flavor", "m1.small", "--network", "private", "cli-vm-1");

        Assert.That(server["name"]!.GetValue<string>(), Is.EqualTo("cli-vm-1"));
        Assert.That(server["flavor"]!.GetValue<string>(), Does.Contain("m1.small"));
        Assert.That(server["image"]!.GetValue<string>(), Does.Contain("booted from volume"));
        var listed = (await Cli("site-a", "server", "list")).AsArray().Single(s => s!["Name"]!.GetValue<string>() == "cli-vm-1")!;
        Assert.That(listed["Status"]!.GetValue<string>(), Is.EqualTo("ACTIVE"));
        Assert.That(listed["Networks"]!["private"]!.AsArray().Single()!.GetValue<string>(), Does.StartWith("10.10.0."));
        var volume = await Cli("site-a", "volume", "show", "cli-boot-1");
        Assert.That(volume["status"]!.GetValue<string>(), Is.EqualTo("in-use"));
        Assert.That(volume["attachments"]!.AsArray().Single()!["server_id"]!.GetValue<string>(), Is.EqualTo(server["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task ImageCreateFromFile_UploadsTheBytes_AndImageListShowsItActive()
    {
        var file = Path.Combine(_dir, "disk.raw");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(file, bytes);

        var created = await Cli("site-b", "image", "create", "--file", file, "--disk-format", "raw", "--container-format", "bare", "cli-image-1");

        var list = await Cli("site-b", "image", "list");
        var listed = list.AsArray().Single(i => i!["Name"]!.GetValue<string>() == "cli-image-1")!;
        Assert.That(listed["ID"]!.GetValue<string>(), Is.EqualTo(created["id"]!.GetValue<string>()));
        Assert.That(listed["Status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(Names(list), Does.Contain("cirros-0.6.2-x86_64-disk"));
        var shown = await Cli("site-b", "image", "show", "cli-image-1");
        Assert.That(shown["checksum"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant()));
        Assert.That(shown["size"]!.GetValue<long>(), Is.EqualTo(bytes.Length));
    }

    [Test]
    public async Task FlavorList_ShowsTheSeededPublicFlavors()
    {
        var flavors = await Cli("site-a", "flavor", "list");

        Assert.That(Names(flavors), Is.SupersetOf(new[] { "m1.tiny", "m1.small", "m1.medium", "m1.large", "dr.small" }));
        var small = flavors.AsArray().Single(f => f!["Name"]!.GetValue<string>() == "m1.small")!;
        Assert.That(small["RAM"]!.GetValue<int>(), Is.EqualTo(2048));
        Assert.That(small["VCPUs"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task KeypairList_ShowsAnImportedKeyWithItsMd5Fingerprint()
    {
        // An ed25519 public key; its MD5 fingerprint is what `ssh-keygen -l -E md5` prints.
        var blob = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIGfZb4lIHHdp3jOdmYbuSwaFEx1U3FWk2k2q6TC3Z3Hy");
        var publicKey = Path.Combine(_dir, "cli.pub");
        await File.WriteAllTextAsync(publicKey, "ssh-ed25519 " + Convert.ToBase64String(blob) + " ops@example\n");
        await Cli("site-a", "keypair", "create", "--public-key", publicKey, "cli-key");

        var keypairs = await Cli("site-a", "keypair", "list");

        var key = keypairs.AsArray().Single(k => k!["Name"]!.GetValue<string>() == "cli-key")!;
        Assert.That(key["Fingerprint"]!.GetValue<string>(), Is.EqualTo(string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2")))));
        Assert.That(key["Type"]!.GetValue<string>(), Is.EqualTo("ssh"));
    }
}
