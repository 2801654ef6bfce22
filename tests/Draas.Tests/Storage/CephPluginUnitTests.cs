using Draas.Plugins.Ceph;
using Draas.Storage;

namespace Draas.Tests.Storage;

/// <summary>
/// What the rbd plugin decides without a cluster: the endpoint an operator may register, the image a Cinder volume
/// is, and how the rbd tool's failures become the contract's kinds (the real clusters run in ./tox -e ceph).
/// </summary>
[TestFixture]
public sealed class CephPluginUnitTests
{
    [TestCase("ceph://draas@10.0.0.5:3300/volumes", true)]
    [TestCase("ceph://draas@10.0.0.5:3300/volumes?mon_host=10.0.0.5:3300,10.0.0.6:3300", true)]
    [TestCase("https://ceph.example/volumes", false)]
    [TestCase("ceph://draas@10.0.0.5:3300/", false)]
    [TestCase("ceph://draas:secret@10.0.0.5:3300/volumes", false)]
    [TestCase("ceph://draas@10.0.0.5:3300/volumes?keyring=/etc/ceph/x", false)]
    public void An_rbd_array_endpoint_names_the_monitors_the_user_and_one_pool_and_never_a_secret(string endpoint, bool ok)
    {
        using var plugin = new CephPlugin();

        var problem = plugin.EndpointProblem(new Uri(endpoint));

        Assert.That(problem is null, Is.EqualTo(ok), problem);
    }

    [Test]
    public void A_Cinder_volume_is_the_image_its_RBD_driver_names_after_the_name_id()
    {
        using var plugin = new CephPlugin();

        Assert.That(plugin.ArrayVolumeName(new CinderVolumeRef("a1", NameId: "b2")), Is.EqualTo("volume-b2"));
        Assert.That(plugin.ArrayVolumeName(new CinderVolumeRef("a1")), Is.EqualTo("volume-a1"));
        Assert.That(plugin.Modes, Is.EquivalentTo(new[] { ReplicationMode.Async }));
    }

    [TestCase("rbd: error opening image volume-x: (2) No such file or directory", 2, ArrayErrorKind.NotFound)]
    [TestCase("rbd: error promoting image to primary\n2026-12-04 librbd: (16) Device or resource busy", 16, ArrayErrorKind.InUse)]
    [TestCase("librbd::mirror::PromoteRequest: failed to promote image: (30) Read-only file system", 30, ArrayErrorKind.InvalidRequest)]
    [TestCase("[errno 110] RADOS timed out (error connecting to the cluster)", 1, ArrayErrorKind.Unreachable)]
    [TestCase("rbd.ImageExists: [errno 17] RBD image already exists", 1, ArrayErrorKind.AlreadyExists)]
    [TestCase("", 2, ArrayErrorKind.NotFound)]
    public void The_rbd_tools_errno_becomes_the_contracts_kind(string stderr, int exitCode, ArrayErrorKind kind)
    {
        var cluster = CephClusterForTests();

        var error = RbdCli.Map(cluster, "rbd info volumes/volume-x", exitCode, stderr);

        Assert.That(error.Kind, Is.EqualTo(kind), error.Message);
        Assert.That(error.Array, Is.EqualTo("site1"));
    }

    [Test]
    public void Mirror_snapshot_times_and_recovery_point_ids_round_trip_in_UTC()
    {
        var time = RbdJson.ParseTime("Fri Dec  4 13:23:26 2026");

        Assert.That(time, Is.EqualTo(new DateTimeOffset(2026, 12, 4, 13, 23, 26, TimeSpan.Zero)));
        Assert.That(CephNames.PointTime(CephNames.PointId(time)), Is.EqualTo(time));
        Assert.That(CephNames.Interval(TimeSpan.FromMinutes(5)), Is.EqualTo("5m"));
        Assert.That(CephNames.Interval(TimeSpan.FromHours(2)), Is.EqualTo("2h"));
        Assert.That(CephNames.ParseInterval("90m"), Is.EqualTo(TimeSpan.FromMinutes(90)));
    }

    private static CephCluster CephClusterForTests() =>
        CephCluster.From(new ArrayRef("site1", new Uri("ceph://admin@127.0.0.1:30110/volumes"), "key"));
}
