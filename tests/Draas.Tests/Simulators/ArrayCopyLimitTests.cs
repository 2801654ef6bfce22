using System.Diagnostics;
using System.Net;
using System.Text;
using Draas.Simulators.FlashArray;

namespace Draas.Tests.Simulators;

/// <summary>An array's copy engine makes a limited number of volume copies at once, and the simulator
/// counts the REST requests each array gets. Copies take real time (<see cref="FlashArraySimulatorOptions.CopyDelay"/>).</summary>
[CancelAfter(60_000)]
public sealed class ArrayCopyLimitTests
{
    private static async Task<HttpClient> LoginAsync(FlashArraySimulator sim, string array)
    {
        var http = new HttpClient { BaseAddress = new Uri(sim.ArrayUrl(array) + "/api/2.4/") };
        using var login = new HttpRequestMessage(HttpMethod.Post, "login");
        login.Headers.Add("api-token", sim.ApiToken(array));
        using var answer = await http.SendAsync(login);
        http.DefaultRequestHeaders.Add("x-auth-token", answer.Headers.GetValues("x-auth-token").Single());
        return http;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    [Test]
    public async Task AnArrayThatCopiesOneVolumeAtATime_MakesTwoSimultaneousCopiesOneAfterTheOther()
    {
        var copyDelay = TimeSpan.FromMilliseconds(300);
        await using var sim = await FlashArraySimulator.StartAsync(new FlashArraySimulatorOptions { CopyDelay = copyDelay, MaxConcurrentCopies = 1 });
        using var http = await LoginAsync(sim, "array-a");
        Assert.That(await PostAsync(http, "volumes?names=source", "{\"provisioned\": 1073741824}"), Is.EqualTo(HttpStatusCode.OK));

        var watch = Stopwatch.StartNew();
        var copies = await Task.WhenAll(
            PostAsync(http, "volumes?names=copy-1", "{\"source\": {\"name\": \"source\"}}"),
            PostAsync(http, "volumes?names=copy-2", "{\"source\": {\"name\": \"source\"}}"));
        watch.Stop();

        Assert.That(copies, Is.All.EqualTo(HttpStatusCode.OK));
        // Timers never fire early; the margin only covers the stopwatch's and timer's granularity.
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(2 * copyDelay - TimeSpan.FromMilliseconds(15)), "the second copy waited for the first");
    }

    [Test]
    public async Task EveryRequestToAnArray_IsCounted_OnThatArrayOnly()
    {
        await using var sim = await FlashArraySimulator.StartAsync();
        using var http = await LoginAsync(sim, "array-a");
        var before = sim.Requests("array-a");

        for (var i = 0; i < 3; i++)
        {
            using var answer = await http.GetAsync("volumes");
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(before, Is.EqualTo(1), "the login");
        Assert.That(sim.Requests("array-a"), Is.EqualTo(before + 3));
        Assert.That(sim.Requests("array-b"), Is.Zero);
    }
}
