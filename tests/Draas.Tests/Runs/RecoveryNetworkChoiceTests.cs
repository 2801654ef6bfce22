using Draas.OpenStack.Networking;
using Draas.Workflows.Runs.Steps;

namespace Draas.Tests.Runs;

/// <summary>A busy recovery site has a network called "tenant-net" in many projects: a mapping by name must land on
/// the tenant's own (or a shared one), never on whichever tenant's came first in the admin's list.</summary>
[TestFixture]
public sealed class RecoveryNetworkChoiceTests
{
    private static Network Net(string id, string name, string project, bool shared = false, bool external = false) =>
        new() { Id = id, Name = name, ProjectId = project, Shared = shared, External = external };

    [Test]
    public void A_mapping_by_name_lands_on_the_tenants_own_network_not_on_another_tenants_of_the_same_name()
    {
        IReadOnlyList<Network> site = [Net("net-other", "tenant-net", "prj-other"), Net("net-shared", "private", "admin", shared: true), Net("net-own", "tenant-net", "prj-tenant")];

        Assert.That(RecoveryNetworkChoice.Resolve(site, "tenant-net", "prj-tenant").Network?.Id, Is.EqualTo("net-own"));
        Assert.That(RecoveryNetworkChoice.Resolve(site, "private", "prj-tenant").Network?.Id, Is.EqualTo("net-shared"), "a shared network serves every tenant");
        Assert.That(RecoveryNetworkChoice.Resolve(site, "net-other", "prj-tenant").Network?.Id, Is.EqualTo("net-other"), "an id is the operator's exact choice");
        var (none, why) = RecoveryNetworkChoice.Resolve(site, "tenant-net", "prj-third");
        Assert.That(none, Is.Null, "another tenant's private network is never a recovery network by name");
        Assert.That(why, Does.Contain("belong to other projects"));
    }

    [Test]
    public void Two_networks_of_the_same_name_in_the_tenants_project_are_ambiguous_and_say_so()
    {
        IReadOnlyList<Network> site = [Net("net-1", "blue", "prj-tenant"), Net("net-2", "blue", "prj-tenant")];
        var (network, why) = RecoveryNetworkChoice.Resolve(site, "blue", "prj-tenant");
        Assert.That(network, Is.Null);
        Assert.That(why, Does.Contain("net-1").And.Contain("net-2"));
    }
}
