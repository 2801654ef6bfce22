using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>Issue 17's Neutron and Nova-device items, checked the way the outside corpus found them: with
/// the real openstack CLI against the simulator. A tenant builds a network behind a router, security
/// groups with a remote-group rule, a server on it and a floating IP; Neutron answers its quotas, the
/// server's port is listed, each project has its default group, and a volume attached to an
/// image-booted server is /dev/vdb as with libvirt.</summary>
[TestFixture]
[Category("OpenStackCli")]
public sealed class NeutronCliTests
{
    private OpenStackSimulator _sim = null!;
    private string _dir = null!;
    private string _clouds = null!;
    private readonly ConcurrentQueue<string> _requests = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        if (await OpenStackCli.EnsureInstalledAsync() is { } reason) Assert.Ignore(reason);
        _sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Delays = SimDelays.None, RequestLog = _requests.Enqueue });
        _dir = Directory.CreateTempSubdirectory("draas-neutron-cli-").FullName;
        await SimConfigFiles.WriteAsync(_sim, _dir);
        _clouds = Path.Combine(_dir, "clouds.yaml");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_sim is not null) await _sim.DisposeAsync();
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonNode?> Cli(string cloud, params string[] args)
    {
        var result = await OpenStackCli.RunAsync(_clouds, cloud, [.. args, "-f", "json"]);
        Assert.That(result.ExitCode, Is.EqualTo(0),
            $"openstack {string.Join(' ', args)} failed:\n{result.Stderr}\nlast requests:\n{string.Join('\n', _requests.TakeLast(10))}");
        return result.Stdout.Trim().Length == 0 ? null : JsonNode.Parse(result.Stdout);
    }

    /// <summary>A command that prints nothing (set, add, delete): no -f.</summary>
    private async Task Do(string cloud, params string[] args)
    {
        var result = await OpenStackCli.RunAsync(_clouds, cloud, args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"openstack {string.Join(' ', args)} failed:\n{result.Stderr}\nlast requests:\n{string.Join('\n', _requests.TakeLast(10))}");
    }

    private async Task<string> Fails(string cloud, params string[] args)
    {
        var result = await OpenStackCli.RunAsync(_clouds, cloud, args);
        Assert.That(result.ExitCode, Is.Not.EqualTo(0), $"openstack {string.Join(' ', args)} should fail");
        return result.Stderr;
    }

    [Test]
    public async Task A_tenant_builds_a_routed_network_with_security_groups_and_a_floating_ip_and_reads_it_back()
    {
        var quota = await Cli("site-a-demo", "quota", "show");
        Assert.That(quota!.ToJsonString(), Does.Contain("secgroup").Or.Contain("security_group"), "quota show includes Neutron's quotas");
        var groups = (await Cli("site-a-demo", "security", "group", "list"))!.AsArray();
        Assert.That(groups.Select(g => g!["Name"]!.GetValue<string>()), Is.EqualTo(new[] { "default" }), "a project's default group appears on first use");

        await Cli("site-a-demo", "network", "create", "app-net");
        await Cli("site-a-demo", "subnet", "create", "--network", "app-net", "--subnet-range", "192.168.7.0/24", "--dns-nameserver", "192.0.2.53", "app-sub");
        await Cli("site-a-demo", "router", "create", "app-router");
        await Do("site-a-demo", "router", "set", "--external-gateway", "public", "app-router");
        await Do("site-a-demo", "router", "add", "subnet", "app-router", "app-sub");
        var web = (await Cli("site-a-demo", "security", "group", "create", "web"))!["id"]!.GetValue<string>();
        await Cli("site-a-demo", "security", "group", "create", "db");
        await Cli("site-a-demo", "security", "group", "rule", "create", "--ingress", "--protocol", "tcp", "--dst-port", "80", "--remote-ip", "0.0.0.0/0", "web");
        await Cli("site-a-demo", "security", "group", "rule", "create", "--ingress", "--protocol", "tcp", "--dst-port", "5432", "--remote-group", "web", "db");
        var again = await Fails("site-a-demo", "security", "group", "rule", "create", "--ingress", "--protocol", "tcp", "--dst-port", "5432", "--remote-group", "web", "db");
        Assert.That(again, Does.Contain("already exists"), "the same rule twice is Neutron's 409");
        var rules = (await Cli("site-a-demo", "security", "group", "rule", "list", "db"))!.AsArray();
        Assert.That(rules.Any(r => r!["Remote Security Group"]?.GetValue<string>() == web), Is.True, "the remote-group rule reads back");

        await Cli("site-a-demo", "port", "create", "--network", "app-net", "--fixed-ip", "subnet=app-sub,ip-address=192.168.7.50", "--security-group", "web", "web-port");
        var taken = await Fails("site-a-demo", "port", "create", "--network", "app-net", "--fixed-ip", "subnet=app-sub,ip-address=192.168.7.50", "dup-port");
        Assert.That(taken, Does.Contain("already allocated"));
        var server = (await Cli("site-a-demo", "server", "create", "--image", "cirros-0.6.2-x86_64-disk", "--flavor", "m1.tiny", "--nic", "port-id=" + (await Cli("site-a-demo", "port", "show", "web-port"))!["id"], "--wait", "web-1"))!;
        var serverId = server["id"]!.GetValue<string>();
        var ports = (await Cli("site-a-demo", "port", "list", "--server", serverId))!.AsArray();
        Assert.That(ports, Has.Count.EqualTo(1), "port list shows the server's port");
        Assert.That(ports[0]!["Fixed IP Addresses"]!.ToJsonString(), Does.Contain("192.168.7.50"));
        var fip = (await Cli("site-a-demo", "floating", "ip", "create", "--port", "web-port", "public"))!;
        Assert.That(fip["fixed_ip_address"]!.GetValue<string>(), Is.EqualTo("192.168.7.50"));
        var shown = (await Cli("site-a-demo", "server", "show", serverId))!;
        Assert.That(shown["addresses"]!.ToJsonString(), Does.Contain(fip["floating_ip_address"]!.GetValue<string>()), "Nova shows the floating address");
        Assert.That(shown["security_groups"]!.ToJsonString(), Does.Contain("web").And.Not.Contain("default"));

        // An image-booted server's local root disk is /dev/vda: the first attached volume is /dev/vdb.
        await Cli("site-a-demo", "volume", "create", "--size", "1", "web-data");
        await Do("site-a-demo", "server", "add", "volume", "web-1", "web-data");
        var volume = (await Cli("site-a-demo", "volume", "show", "web-data"))!;
        Assert.That(volume["attachments"]![0]!["device"]!.GetValue<string>(), Is.EqualTo("/dev/vdb"));

        var inUse = await Fails("site-a-demo", "security", "group", "delete", "web");
        Assert.That(inUse, Does.Contain("in use"), "a group on a port cannot be deleted");
        await Do("site-a-demo", "server", "delete", "--wait", serverId);
        var kept = (await Cli("site-a-demo", "port", "show", "web-port"))!;
        Assert.That(kept["device_id"]!.GetValue<string>(), Is.Empty, "a port the server was given survives it, unbound");
    }
}
