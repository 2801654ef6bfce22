using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.Simulators;

/// <summary>The files `./tox -e sim` writes so that anyone can point the openstack CLI or draasctl at
/// the simulator.</summary>
public sealed class SimConfigFilesTests : SimulatorTestBase
{
    [Test]
    public void CloudsYaml_HasOneAdminCloudPerSite_WithItsAuthUrlAndRegion()
    {
        var yaml = SimConfigFiles.CloudsYaml(Sim);

        foreach (var site in Sim.Sites)
        {
            Assert.That(yaml, Does.Contain($"  \"{site.Name}\":\n    auth:\n      auth_url: \"{site.AuthUrl}\"\n      username: \"admin\""));
            Assert.That(yaml, Does.Contain($"    region_name: \"{site.Name}\""));
            Assert.That(yaml, Does.Contain($"  \"{site.Name}-demo\":"));
        }
    }

    [Test]
    public void EndpointsJson_ListsEverySitesEndpointsAndTheAdminApi()
    {
        var json = JsonNode.Parse(SimConfigFiles.EndpointsJson(Sim))!["openstack"]!;

        Assert.That(Str(json, "admin_url"), Is.EqualTo(Sim.AdminUrl));
        var sites = json["sites"]!.AsArray();
        Assert.That(sites.Select(s => Str(s, "name")), Is.EqualTo(new[] { "site-a", "site-b" }));
        Assert.That(Str(sites[1]!["endpoints"], "compute"), Is.EqualTo(Sim.Site("site-b").ServiceUrl("compute") + "/v2.1"));
        Assert.That(Str(sites[0]!["volume_backend"], "host"), Is.EqualTo("site-a@pure#pure"));
    }
}
