using System.Diagnostics;
using System.Net;
using System.Text;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Tests.Simulators;

/// <summary>Faults on demand, in-process and through the simulator's admin endpoint: forced answers,
/// error rates, latency and a whole site going down.</summary>
public sealed class FaultInjectionTests : SimulatorTestBase
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private async Task PutFaultsAsync(string site, string json)
    {
        using var response = await Http.PutAsync($"{Sim.AdminUrl}/sites/{site}/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task TwoForced503s_ThenCinderAnswersAgain_WithRetryAfterOnTheFailures()
    {
        var injected = SiteA.Faults.Injected;
        await PutFaultsAsync("site-a", """{"services": {"volume": {"force_status": 503, "force_count": 2}}}""");

        for (var i = 0; i < 2; i++)
        {
            using var failed = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Volume}/volumes");
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(failed.Headers.RetryAfter, Is.Not.Null);
            Assert.That(await failed.Content.ReadAsStringAsync(), Does.Contain("serviceUnavailable"));
        }
        await Demo.GetAsync($"{Demo.Volume}/volumes");
        await Demo.GetAsync($"{Demo.Compute}/servers");
        Assert.That(SiteA.Faults.Injected - injected, Is.EqualTo(2), "the site counts the faults it injected");
    }

    [Test]
    public async Task AForced409_AnswersInNovasConflictStyle_OnlyOnTheFaultedService()
    {
        SiteA.Faults.Set("compute", new ServiceFault { ForceStatus = 409, ForceCount = 1 });

        var conflict = await Demo.CallAsync(HttpMethod.Get, $"{Demo.Compute}/servers", HttpStatusCode.Conflict);

        Assert.That(conflict!["conflictingRequest"]!["code"]!.GetValue<int>(), Is.EqualTo(409));
        await Demo.GetAsync($"{Demo.Volume}/volumes");
        await Demo.GetAsync($"{Demo.Compute}/servers");
    }

    [Test]
    public async Task AnErrorRateOfOne_FailsEveryRequestOfThatService_UntilCleared()
    {
        await PutFaultsAsync("site-a", """{"services": {"image": {"error_rate": 1.0, "error_status": 502}}}""");

        for (var i = 0; i < 3; i++)
        {
            using var failed = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Image}/images");
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        }
        using (var cleared = await Http.DeleteAsync($"{Sim.AdminUrl}/sites/site-a/faults"))
            Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await Demo.GetAsync($"{Demo.Image}/images");
    }

    [Test]
    public async Task Latency_DelaysEveryAnswerOfTheService()
    {
        await PutFaultsAsync("site-a", """{"services": {"network": {"latency_ms": 300}}}""");
        var watch = Stopwatch.StartNew();

        using var response = await Demo.SendAsync(HttpMethod.Get, SiteA.ServiceUrl("network") + "/v2.0/networks");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
    }

    [Test]
    public async Task ASiteThatIsDown_ResetsEveryConnection_WhileTheOtherSiteServes_AndComesBack()
    {
        await PutFaultsAsync("site-a", """{"down": true}""");

        Assert.That(async () => await Http.GetAsync(SiteA.AuthUrl), Throws.InstanceOf<HttpRequestException>());
        Assert.That(async () => await OpenStackSession.LoginAsync(SiteA.Admin), Throws.InstanceOf<HttpRequestException>());
        var onB = await OpenStackSession.LoginAsync(Sim.Site("site-b").Admin);
        await onB.GetAsync($"{onB.Volume}/volumes");

        SiteA.Faults.Down = false;
        await Demo.GetAsync($"{Demo.Volume}/volumes");
    }

    [Test]
    public async Task TheAdminEndpoint_SeedsArrayVolumesThatCinderCanThenManage()
    {
        using var seeded = await Http.PostAsync($"{Sim.AdminUrl}/sites/site-a/array/volumes",
            new StringContent("""{"name": "replica-7", "size_bytes": 3221225472, "writes": ["boot", "data-1"]}""", Encoding.UTF8, "application/json"));
        Assert.That(seeded.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var list = await Admin.GetAsync($"{Admin.Volume}/manageable_volumes?host=site-a@pure%23pure", "volume 3.8");

        var entry = list!["manageable-volumes"]!.AsArray().Single(v => Str(v!["reference"], "source-name") == "replica-7")!;
        Assert.That(entry["size"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(SiteA.Array.Find("replica-7")!.WriteLog, Is.EqualTo(new[] { "boot", "data-1" }));
    }
}
