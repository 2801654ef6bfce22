using Draas.OpenStack;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Tests.OpenStack.Support;

namespace Draas.Tests.OpenStack;

public class MicroversionTests : FakeCloudTests
{

    static string NovaVersion(string max) => $$"""
        {"version": {"id": "v2.1", "status": "CURRENT", "version": "{{max}}", "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": []} }
        """;

    [Test]
    public async Task A_newer_nova_gets_our_preferred_microversion()
    {
        Cloud.Stub("GET", "/compute/v2.1/", 200, NovaVersion("2.93"));

        var chosen = await MicroversionNegotiation.NegotiateAsync(Session.Compute.Client, CancellationToken.None);

        Assert.That(chosen, Is.EqualTo("2.79"));
    }

    [Test]
    public async Task An_older_nova_within_our_range_gets_its_maximum_and_later_calls_send_it()
    {
        Cloud.Stub("GET", "/compute/v2.1/", 200, NovaVersion("2.72"));
        Cloud.Stub("GET", "/compute/v2.1/limits", 200, """{"limits": {"absolute": {}, "rate": []}}""");

        var chosen = await MicroversionNegotiation.NegotiateAsync(Session.Compute.Client, CancellationToken.None);
        await Session.Compute.Admin.GetAbsoluteLimitsAsync(CancellationToken.None);

        Assert.That(chosen, Is.EqualTo("2.72"), "2.72 is below 2.79 as a version, though not as a string");
        Cloud.Single("GET", "/compute/v2.1/limits").HasServiceHeaders(novaMicroversion: "2.72");
    }

    [Test]
    public void A_nova_too_old_for_us_is_refused_saying_what_we_need()
    {
        Cloud.Stub("GET", "/compute/v2.1/", 200, NovaVersion("2.60"));

        var error = Assert.ThrowsAsync<OpenStackException>(() => MicroversionNegotiation.NegotiateAsync(Session.Compute.Client, CancellationToken.None));

        Assert.That(error!.ServiceMessage, Does.Contain("2.60").And.Contain("2.64"));
    }

    [Test]
    public async Task Cinder_is_asked_at_its_version_root_without_the_project()
    {
        Cloud.Stub("GET", "/volume/v3/", 200, """
            {"versions": [{"id": "v3.0", "status": "CURRENT", "version": "3.70", "min_version": "3.0", "updated": "2023-08-31T00:00:00Z", "links": []}]}
            """);

        var chosen = await MicroversionNegotiation.NegotiateAsync(Session.BlockStorage.Client, CancellationToken.None);

        Assert.That(chosen, Is.EqualTo("3.60"));
        Assert.That(Cloud.Single("GET", "/volume/v3/").Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [TestCase("3.8", "3.10", -1)]
    [TestCase("2.79", "2.79", 0)]
    [TestCase("3.60", "3.8", 1)]
    public void Microversions_compare_as_numbers(string a, string b, int sign) =>
        Assert.That(Math.Sign(Microversion.Compare(a, b)), Is.EqualTo(sign));
}
