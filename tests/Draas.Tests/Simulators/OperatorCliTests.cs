using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>
/// What an operator types at a real cloud before and after a recovery, with Debian's openstack client against
/// the simulator: Cinder's scheduler refusing a type whose backend name no pool has (as real Cinder does; the
/// real-cloud scenarios confirm it), and the operator's checks a real cloud answers: compute services,
/// hypervisors, the endpoint catalog, usage, QoS specs.
/// </summary>
[TestFixture]
[Category("OpenStackCli")]
public sealed class OperatorCliTests
{
    private OpenStackSimulator _sim = null!;
    private string _dir = null!;
    private string _clouds = null!;
    private readonly ConcurrentQueue<string> _requests = new();

    [OneTimeSetUp]
    public async Task StartSimulatorAndWriteCloudsYaml()
    {
        if (await OpenStackCli.EnsureInstalledAsync() is { } reason) Assert.Ignore(reason);
        _sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Delays = SimDelays.None, RequestLog = _requests.Enqueue });
        _dir = Directory.CreateTempSubdirectory("draas-opcli-").FullName;
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

    private static JsonNode Row(JsonNode list, string column, string value) =>
        list.AsArray().SingleOrDefault(r => r![column]?.ToString() == value) ?? throw new AssertionException($"no row with {column} {value} in {list.ToJsonString()}");

    [Test]
    public async Task A_volume_of_a_type_asking_a_backend_no_pool_has_ends_in_error_while_the_sites_own_type_places_it()
    {
        await Cli("site-a", "volume", "type", "create", "--property", "volume_backend_name=pure-elsewhere", "elsewhere");

        var refused = await Cli("site-a", "volume", "create", "--size", "1", "--type", "elsewhere", "cli-nowhere");
        var placed = await Cli("site-a", "volume", "create", "--size", "1", "--type", "pure-replicated", "cli-somewhere");

        var nowhere = await Cli("site-a", "volume", "show", refused["id"]!.GetValue<string>());
        var somewhere = await Cli("site-a", "volume", "show", placed["id"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(nowhere["status"]!.GetValue<string>(), Is.EqualTo("error"), "no valid backend: the scheduler places it nowhere");
            Assert.That(nowhere["os-vol-host-attr:host"]?.GetValue<string>(), Is.Null);
            Assert.That(_sim.Site("site-a").Array.Find($"volume-{refused["id"]}-cinder"), Is.Null, "nothing on the array");
            Assert.That(somewhere["status"]!.GetValue<string>(), Is.EqualTo("available"));
            Assert.That(somewhere["os-vol-host-attr:host"]!.GetValue<string>(), Is.EqualTo("site-a@pure#pure"));
        });
    }

    [Test]
    public async Task Compute_service_and_hypervisor_lists_show_the_compute_host_up_and_enabled()
    {
        var services = await Cli("site-a", "compute", "service", "list");
        var hypervisors = await Cli("site-b", "hypervisor", "list");

        var compute = Row(services, "Binary", "nova-compute");
        Assert.Multiple(() =>
        {
            Assert.That(compute["Host"]!.GetValue<string>(), Is.EqualTo("site-a-compute-1"));
            Assert.That(compute["State"]!.GetValue<string>(), Is.EqualTo("up"));
            Assert.That(compute["Status"]!.GetValue<string>(), Is.EqualTo("enabled"));
            Assert.That(services.AsArray().Select(s => s!["Binary"]!.GetValue<string>()), Is.SupersetOf(new[] { "nova-conductor", "nova-scheduler" }));
            Assert.That(Row(hypervisors, "Hypervisor Hostname", "site-b-compute-1")["State"]!.GetValue<string>(), Is.EqualTo("up"));
        });
    }

    [Test]
    public async Task Endpoint_list_shows_every_service_of_the_site_in_its_region()
    {
        var endpoints = await Cli("site-b", "endpoint", "list");

        var types = endpoints.AsArray().Select(e => e!["Service Type"]!.GetValue<string>()).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(types, Is.SupersetOf(new[] { "identity", "compute", "volumev3", "image", "network" }));
            Assert.That(endpoints.AsArray().Select(e => e!["Region"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { _sim.Site("site-b").Region }));
            Assert.That(endpoints.AsArray().Count(e => e!["Service Type"]!.GetValue<string>() == "compute"), Is.EqualTo(3), "public, internal and admin");
            Assert.That(endpoints.AsArray().Where(e => e!["Service Name"]!.GetValue<string>() == "cinderv3").Select(e => e!["URL"]!.GetValue<string>()),
                Has.All.EndWith("/v3/$(project_id)s"), "Cinder's URL as Keystone stores it");
        });
    }

    [Test]
    public async Task Usage_list_counts_a_running_server_of_the_project()
    {
        await Cli("site-b", "volume", "create", "--size", "1", "--bootable", "cli-usage-boot");
        await Cli("site-b", "server", "create", "--volume", "cli-usage-boot", "--flavor", "m1.small", "--network", "private", "--wait", "cli-usage-vm");

        var usage = await Cli("site-b", "usage", "list");

        // The client shows the project's name when it can look it up, else its id.
        var admin = usage.AsArray().SingleOrDefault(r => r!["Project"]?.ToString() is "admin" || r!["Project"]?.ToString() == _sim.Site("site-b").ProjectId("admin"))
            ?? throw new AssertionException($"no usage of project admin in {usage.ToJsonString()}");
        // The client prints the count, or (some versions) the list of server usages.
        var servers = admin["Servers"];
        Assert.That(servers is JsonArray list ? list.Count : int.Parse(servers!.ToString(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(1), usage.ToJsonString());
    }

    [Test]
    public async Task Volume_qos_list_shows_a_created_spec_with_its_properties()
    {
        var empty = await Cli("site-b", "volume", "qos", "list");
        await Cli("site-b", "volume", "qos", "create", "--consumer", "back-end", "--property", "read_iops_sec=2000", "gold-iops");

        var listed = await Cli("site-b", "volume", "qos", "list");

        Assert.That(empty.AsArray(), Is.Empty, "a fresh cloud has no QoS specs");
        var gold = Row(listed, "Name", "gold-iops");
        Assert.That(gold["Consumer"]!.GetValue<string>(), Is.EqualTo("back-end"));
        Assert.That(gold["Properties"]!.ToJsonString(), Does.Contain("read_iops_sec").And.Contain("2000"));
    }
}
