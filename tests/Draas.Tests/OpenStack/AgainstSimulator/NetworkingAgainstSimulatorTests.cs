using Draas.OpenStack;
using Draas.OpenStack.Networking;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>The read-only Neutron client against the simulator's seeded networks (private, public,
/// dr-isolated): what a recovery plan maps a server's networks to.</summary>
public class NetworkingAgainstSimulatorTests : SimulatorFixture
{
    [Test]
    public async Task The_operator_finds_the_seeded_networks_page_by_page_and_the_external_one_by_filter()
    {
        using var admin = Session(SiteA.Admin);

        var all = await ToListAsync(admin.Networking.ListNetworksAsync(new NetworkListOptions { Limit = 1 }, Ct));

        Assert.That(all.Select(n => n.Name), Is.SupersetOf(new[] { "private", "public", "dr-isolated" }), "pages of 1 follow networks_links to the end");
        Assert.That(all.Select(n => n.Id), Is.Unique);
        var external = await ToListAsync(admin.Networking.ListNetworksAsync(new NetworkListOptions { External = true }, Ct));
        Assert.That(external.Select(n => n.Name), Is.EqualTo(new[] { "public" }));
        Assert.That(external.Single().External, Is.True);
        var byName = await ToListAsync(admin.Networking.ListNetworksAsync(new NetworkListOptions { Name = "dr-isolated" }, Ct));
        Assert.That(byName.Single().Name, Is.EqualTo("dr-isolated"));
    }

    [Test]
    public async Task A_network_s_subnets_are_listed_by_network_and_shown_with_their_cidr()
    {
        using var admin = Session(SiteA.Admin);
        var priv = (await ToListAsync(admin.Networking.ListNetworksAsync(new NetworkListOptions { Name = "private" }, Ct))).Single();

        var shown = await admin.Networking.GetNetworkAsync(priv.Id, Ct);
        Assert.That((shown.Id, shown.Name, shown.External), Is.EqualTo((priv.Id, "private", false)));
        Assert.That(shown.Subnets, Is.Not.Empty);

        var subnets = await ToListAsync(admin.Networking.ListSubnetsAsync(priv.Id, null, Ct));
        Assert.That(subnets.Select(s => s.Id), Is.EquivalentTo(shown.Subnets));
        Assert.That(subnets.Select(s => s.NetworkId), Is.All.EqualTo(priv.Id));
        var subnet = await admin.Networking.GetSubnetAsync(subnets[0].Id, Ct);
        Assert.That(subnet.Cidr, Does.Contain("/"));
        Assert.That(subnet.IpVersion, Is.AnyOf(4, 6));
        Assert.That((await ToListAsync(admin.Networking.ListSubnetsAsync(null, null, Ct))).Count, Is.GreaterThanOrEqualTo(subnets.Count));

        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => admin.Networking.GetNetworkAsync(Guid.NewGuid().ToString(), Ct))!.IsNotFound, Is.True);
    }
}
