using System.Net;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>A fresh two-site simulator per test on a hand-moved clock, with admin and member sessions on
/// site-a. Delays are the simulator's defaults (seconds), so nothing finishes until the test advances
/// the clock.</summary>
public abstract class SimulatorTestBase
{
    protected OpenStackSimulator Sim { get; private set; } = null!;
    protected ManualClock Clock { get; private set; } = null!;
    protected SimSite SiteA => Sim.Site("site-a");
    protected OpenStackSession Admin { get; private set; } = null!;
    protected OpenStackSession Demo { get; private set; } = null!;

    [SetUp]
    public async Task StartSimulator()
    {
        Clock = new ManualClock();
        Sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Clock = Clock });
        Admin = await OpenStackSession.LoginAsync(SiteA.Admin);
        Demo = await OpenStackSession.LoginAsync(SiteA.Demo);
    }

    [TearDown]
    public async Task StopSimulator() => await Sim.DisposeAsync();

    protected static string Str(JsonNode? node, string key) => node![key]!.GetValue<string>();

    /// <summary>Creates a volume and moves the clock past the creation delay.</summary>
    protected async Task<string> AvailableVolumeAsync(OpenStackSession s, string name, int size = 1)
    {
        var created = await s.CallAsync(HttpMethod.Post, $"{s.Volume}/volumes", HttpStatusCode.Accepted,
            new JsonObject { ["volume"] = new JsonObject { ["size"] = size, ["name"] = name } });
        Clock.Advance(TimeSpan.FromSeconds(5));
        return Str(created!["volume"], "id");
    }

    protected async Task<JsonNode> VolumeAsync(OpenStackSession s, string id) => (await s.GetAsync($"{s.Volume}/volumes/{id}", "volume 3.70"))!["volume"]!;

    protected async Task<JsonNode> ServerAsync(OpenStackSession s, string id) => (await s.GetAsync($"{s.Compute}/servers/{id}"))!["server"]!;

    protected static JsonObject BootFromVolume(string name, string volumeId, JsonNode? networks = null) => new()
    {
        ["server"] = new JsonObject
        {
            ["name"] = name,
            ["flavorRef"] = "2",
            ["networks"] = networks ?? "none",
            ["block_device_mapping_v2"] = new JsonArray(new JsonObject
            {
                ["boot_index"] = 0,
                ["uuid"] = volumeId,
                ["source_type"] = "volume",
                ["destination_type"] = "volume",
                ["delete_on_termination"] = false,
            }),
        },
    };
}
