using Draas.Tests.Support;

namespace Draas.Tests.Api;

/// <summary>
/// An API flooded by readers (dashboards polling through a site-wide failover) serves a bounded number of
/// requests at once, lets a bounded number wait their turn, and answers the rest at once with a 503 and
/// Retry-After instead of piling them onto the database; health stays answered throughout.
/// </summary>
[TestFixture]
public sealed class ApiAdmissionTests
{
    [Test]
    public async Task With_one_request_served_and_one_waiting_a_third_is_told_to_retry_and_the_waiting_one_is_served()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["api:max_concurrent_requests"] = "1",
            ["api:request_queue"] = "1",
        });
        // A caller whose token Keystone takes two seconds to validate holds the one turn meanwhile.
        service.Keystone.AddToken("gAAAAAslow-reader", "user-s", "sam", KeystoneStandIn.AdminProject, ["admin"], answerAfter: TimeSpan.FromSeconds(2));

        var slow = service.SendAsync(HttpMethod.Get, "/v1/sites", "gAAAAAslow-reader");
        await Task.Delay(500);
        var waiting = service.SendAsync(HttpMethod.Get, "/v1/sites", KeystoneStandIn.AdminToken);
        await Task.Delay(300);
        var (refused, fault, response) = await service.SendAsync(HttpMethod.Get, "/v1/plans", KeystoneStandIn.AdminToken);
        var (health, _, _) = await service.SendAsync(HttpMethod.Get, "/healthz", token: null);

        Assert.That(refused, Is.EqualTo(503), fault?.ToJsonString());
        Assert.That(fault!["serviceUnavailable"]!["message"]!.GetValue<string>(), Does.Contain("1 requests with 1 more waiting"));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(health, Is.EqualTo(200), "health is not behind the API's queue");
        Assert.That(slow.IsCompleted, Is.False, "the first caller still held its turn when the third was refused");
        Assert.That((await slow).Status, Is.EqualTo(200));
        Assert.That((await waiting).Status, Is.EqualTo(200), "the waiting request was served once the turn freed");
    }
}
