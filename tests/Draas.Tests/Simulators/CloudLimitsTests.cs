using System.Net;
using System.Text.Json.Nodes;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Tests.Simulators;

/// <summary>A site's own limits, queued as a cloud queues them (never refused), and the requests it answers.</summary>
public sealed class CloudLimitsTests : SimulatorTestBase
{
    private async Task<string> ManageAsync(string sourceName)
    {
        var body = new JsonObject
        {
            ["volume"] = new JsonObject
            {
                ["host"] = "site-a@pure#pure",
                ["ref"] = new JsonObject { ["source-name"] = sourceName },
                ["name"] = "recovered-" + sourceName,
            },
        };
        var answer = await Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/manageable_volumes", HttpStatusCode.Accepted, body, "volume 3.8");
        return Str(answer!["volume"], "id");
    }

    [Test]
    public async Task ABackendThatManagesTwoVolumesAtATime_KeepsTheThirdManagingUntilOneFinishes()
    {
        SiteA.Delays = SiteA.Delays with { VolumeManage = TimeSpan.FromSeconds(10) };
        SiteA.MaxConcurrentManages = 2;
        string[] names = ["replica-1", "replica-2", "replica-3"];
        foreach (var name in names) SiteA.Array.Seed(name, 1L << 30);

        var ids = new List<string>();
        foreach (var name in names) ids.Add(await ManageAsync(name));
        Assert.That(SiteA.Locked(() => (SiteA.Manages.InFlight, SiteA.Manages.Waiting)), Is.EqualTo((2, 1)), "queued, not refused");

        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(ids.Select(SiteA.VolumeStatus), Is.EqualTo(new[] { "available", "available", "managing" }));

        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(ids.Select(SiteA.VolumeStatus), Is.All.EqualTo("available"));
        Assert.That(SiteA.Locked(() => SiteA.Manages.PeakInFlight), Is.EqualTo(2));
    }

    [Test]
    public async Task ANovaThatBuildsOneServerAtATime_KeepsTheSecondBuildingUntilTwiceTheBuildDelay()
    {
        var buildDelay = SiteA.Delays.ServerBuild;
        SiteA.MaxConcurrentBuilds = 1;
        var first = await AvailableVolumeAsync(Demo, "root-1");
        var second = await AvailableVolumeAsync(Demo, "root-2");

        var servers = new List<string>();
        foreach (var (name, volume) in new[] { ("web-1", first), ("web-2", second) })
            servers.Add(Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume(name, volume)))!["server"], "id"));

        Clock.Advance(buildDelay);
        Assert.That(servers.Select(SiteA.ServerStatus), Is.EqualTo(new[] { "ACTIVE", "BUILD" }));
        Clock.Advance(buildDelay);
        Assert.That(servers.Select(SiteA.ServerStatus), Is.All.EqualTo("ACTIVE"));
    }

    [Test]
    public async Task EveryRequestToASite_IsCounted_FaultsIncluded_ByService()
    {
        var before = SiteA.Requests;
        var volumeBefore = SiteA.RequestsByService.GetValueOrDefault("volume");
        var otherSite = Sim.Site("site-b").Requests;

        for (var i = 0; i < 4; i++) await Demo.GetAsync($"{Demo.Volume}/volumes");
        SiteA.Faults.Set("volume", new ServiceFault { ForceStatus = 503, ForceCount = 1 });
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/volumes", HttpStatusCode.ServiceUnavailable);

        Assert.That(SiteA.Requests - before, Is.EqualTo(5));
        Assert.That(SiteA.RequestsByService["volume"] - volumeBefore, Is.EqualTo(5));
        Assert.That(Sim.Site("site-b").Requests, Is.EqualTo(otherSite), "another site's count is its own");
    }
}
