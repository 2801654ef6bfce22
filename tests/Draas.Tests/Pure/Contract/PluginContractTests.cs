using Draas.Plugins.Pure;
using Draas.Storage;

namespace Draas.Tests.Pure.Contract;

/// <summary>The exact requests the <c>pure</c> plugin sends for each contract call, pinned with WireMock.
/// array-a is the primary, array-b the recovery array.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class PluginContractTests
{
    private const string Pg = "draas-p1-web";
    private const string Replica = "array-a%3Adraas-p1-web";
    private FakeArray _a = null!;
    private FakeArray _b = null!;
    private PurePlugin _plugin = null!;

    [SetUp]
    public void Start()
    {
        _a = new FakeArray("array-a");
        _b = new FakeArray("array-b");
        _plugin = new PurePlugin(new PurePluginOptions { FirstBackoff = TimeSpan.FromMilliseconds(1), PollInterval = TimeSpan.FromMilliseconds(5) });
    }

    [TearDown]
    public void Stop()
    {
        _plugin.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    private ProtectionSpec Spec(params string[] volumes) =>
        new("p1", "web", _a.Ref, _b.Ref, ReplicationMode.Async, TimeSpan.FromHours(1), RetentionPolicy.Default, volumes);

    private ReplicationGroupRef Group(ReplicationMode mode = ReplicationMode.Async) => new(Pg, mode, _a.Ref, _b.Ref);

    [Test]
    public async Task Ensure_protected_the_first_time_creates_group_members_target_allowance_and_schedule()
    {
        _a.Get("volumes", Volume("vol1"), Volume("vol2"));
        _a.Missing("GET", "protection-groups", Pg, "Protection group");
        _a.Write("POST", "protection-groups", ProtectionGroup(enabled: false, frequency: 14_400_000, allForSec: 86_400));
        _a.Get("protection-groups/volumes");
        _a.Write("POST", "protection-groups/volumes");
        _a.Get("protection-groups/targets");
        _a.Get("array-connections", Connection("array-b", "async-replication"));
        _a.Write("POST", "protection-groups/targets");
        _a.Write("PATCH", "protection-groups", ProtectionGroup(enabled: true, frequency: 3_600_000));
        _b.Write("PATCH", "protection-groups/targets");

        var result = await _plugin.EnsureProtectedAsync(Spec("vol1", "vol2"));

        Assert.That(_a.Calls(), Is.EqualTo(new[]
        {
            "GET /arrays",
            "GET /volumes?names=vol1,vol2",
            $"GET /protection-groups?names={Pg}",
            $"POST /protection-groups?names={Pg} {{}}",
            $"GET /protection-groups/volumes?group_names={Pg}",
            $"POST /protection-groups/volumes?group_names={Pg}&member_names=vol1,vol2 {{}}",
            $"GET /protection-groups/targets?group_names={Pg}",
            "GET /array-connections",
            $"POST /protection-groups/targets?group_names={Pg}&member_names=array-b {{}}",
            $"PATCH /protection-groups?names={Pg} {{\"replication_schedule\":{{\"enabled\":true,\"frequency\":3600000}},\"target_retention\":{{\"all_for_sec\":14400,\"per_day\":3,\"days\":7}}}}",
        }));
        Assert.That(_b.Calls(), Is.EqualTo(new[]
        {
            "GET /arrays",
            $"PATCH /protection-groups/targets?group_names={Replica} {{\"allowed\":true}}",
        }));
        Assert.That(result.Changes, Has.Count.EqualTo(6));
        Assert.That(result.Group, Is.EqualTo(Group()));
    }

    [Test]
    public async Task Ensure_protected_a_second_time_only_reads()
    {
        _a.Get("volumes", Volume("vol1"), Volume("vol2"));
        _a.Get("protection-groups", ProtectionGroup(enabled: true, frequency: 3_600_000));
        _a.Get("protection-groups/volumes", Member("vol1"), Member("vol2"));
        _a.Get("protection-groups/targets", Target("array-b", allowed: true));

        var result = await _plugin.EnsureProtectedAsync(Spec("vol1", "vol2"));

        Assert.That(result.Changes, Is.Empty);
        Assert.That(_a.Calls(), Is.EqualTo(new[]
        {
            "GET /arrays",
            "GET /volumes?names=vol1,vol2",
            $"GET /protection-groups?names={Pg}",
            $"GET /protection-groups/volumes?group_names={Pg}",
            $"GET /protection-groups/targets?group_names={Pg}",
        }));
        Assert.That(_b.Calls(), Is.EqualTo(new[] { "GET /arrays" }));
    }

    [Test]
    public async Task Status_reads_the_schedule_at_the_source_and_recovery_points_at_the_target()
    {
        var now = DateTimeOffset.UtcNow;
        var created = now.AddMinutes(-20).ToUnixTimeMilliseconds();
        _a.Get("protection-groups", ProtectionGroup(enabled: true, frequency: 3_600_000));
        _a.Get("protection-groups/targets", Target("array-b", allowed: true));
        _a.Get("array-connections", Connection("array-b", "async-replication"));
        _b.Get("protection-group-snapshots", new { id = "s7", name = "array-a:draas-p1-web.7", created, destroyed = false });
        _b.Get("protection-group-snapshots/transfer",
            new { name = "array-a:draas-p1-web.7", id = "s7", destroyed = false, started = created, completed = created + 5000, progress = 1.0 });

        var status = await _plugin.GetReplicationStatusAsync(Group());

        Assert.That(status.Health, Is.EqualTo(ReplicationHealth.Healthy));
        Assert.That(status.Latest, Is.EqualTo(new RecoveryPoint("array-a:draas-p1-web.7", DateTimeOffset.FromUnixTimeMilliseconds(created))));
        Assert.That(status.Lag, Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(20)));
        Assert.That(_a.Calls(), Is.EqualTo(new[]
        {
            $"GET /protection-groups?names={Pg}",
            $"GET /protection-groups/targets?group_names={Pg}",
            "GET /array-connections",
        }));
        Assert.That(_b.Calls(), Is.EqualTo(new[]
        {
            $"GET /protection-group-snapshots?source_names={Replica}&destroyed=false",
            $"GET /protection-group-snapshots/transfer?source_names={Replica}&destroyed=false&filter=progress%3D%221.0%22&sort=started-",
        }));
    }

    [Test]
    public async Task Promote_from_a_group_snapshot_copies_the_member_snapshot_and_never_calls_the_primary()
    {
        StubReplicatedSnapshot();
        _b.Write("POST", "volumes", new { id = "n1", name = "draas-fo-run1-vol1", provisioned = 10L << 30, destroyed = false, source = new { name = "array-a:draas-p1-web.7.vol1" } });

        var promoted = await _plugin.PromoteVolumeAsync(new PromoteRequest(Group(), "vol1", "run1", PromotePurpose.Failover, "array-a:draas-p1-web.7"));

        Assert.That(_a.Requests, Is.Empty, "a failover must work with the primary gone");
        Assert.That(_b.Calls(), Is.EqualTo(new[]
        {
            "GET /volumes?names=draas-fo-run1-vol1",
            $"GET /protection-group-snapshots?source_names={Replica}&destroyed=false",
            $"GET /protection-group-snapshots/transfer?source_names={Replica}&destroyed=false&filter=progress%3D%221.0%22&sort=started-",
            "GET /volume-snapshots?names=array-a%3Adraas-p1-web.7.vol1",
            "GET /arrays/space",
            "POST /volumes?names=draas-fo-run1-vol1 {\"source\":{\"name\":\"array-a:draas-p1-web.7.vol1\"}}",
        }));
        Assert.That(promoted.ArrayVolumeName, Is.EqualTo("draas-fo-run1-vol1"));
        Assert.That(promoted.SizeGiB, Is.EqualTo(10));
        Assert.That(promoted.RecoveryPoint.Id, Is.EqualTo("array-a:draas-p1-web.7"));
    }

    [Test]
    public async Task A_retried_promote_recognises_its_copy_when_the_array_names_the_volume_as_its_source()
    {
        StubReplicatedSnapshot();
        var copied = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        _b.GetWhere("volumes", ("names", "draas-fo-run1-vol1"),
            new { id = "n1", name = "draas-fo-run1-vol1", provisioned = 10L << 30, created = copied, destroyed = false, source = new { name = "vol1" } });

        var again = await _plugin.PromoteVolumeAsync(new PromoteRequest(Group(), "vol1", "run1", PromotePurpose.Failover));

        Assert.That(again.CreatedNow, Is.False);
        Assert.That(again.RecoveryPoint.Id, Is.EqualTo("array-a:draas-p1-web.7"), "the newest point older than the copy");
        Assert.That(_b.Calls(), Has.None.StartsWith("POST"));
    }

    [Test]
    public async Task A_drill_copy_is_made_under_a_drill_name_and_release_destroys_then_eradicates_it()
    {
        StubReplicatedSnapshot();
        const string drill = "draas-drill-d1-vol1";
        _b.Write("POST", "volumes", new { id = "n1", name = drill, provisioned = 10L << 30, destroyed = false });

        var copy = await _plugin.PromoteVolumeAsync(new PromoteRequest(Group(), "vol1", "d1", PromotePurpose.Drill));
        _b.Server.ResetLogEntries();
        _b.GetWhere("volumes", ("names", drill), new { id = "n1", name = drill, provisioned = 10L << 30, destroyed = false });
        _b.Write("PATCH", "volumes", new { id = "n1", name = drill, provisioned = 10L << 30, destroyed = true });
        _b.On("DELETE", "volumes", null, 200, null);
        var released = await _plugin.ReleaseDrillCopyAsync(_b.Ref, copy.ArrayVolumeName);

        Assert.That(copy.ArrayVolumeName, Is.EqualTo(drill));
        Assert.That(released, Is.True);
        Assert.That(_b.Calls(), Is.EqualTo(new[]
        {
            $"GET /volumes?names={drill}",
            $"PATCH /volumes?names={drill} {{\"destroyed\":true}}",
            $"DELETE /volumes?names={drill}",
        }));
        Assert.That(_a.Requests, Is.Empty, "a drill never touches the primary, so replication is undisturbed");
    }

    [Test]
    public async Task A_planned_migration_demotes_the_source_pod_with_quiesce_and_promotes_the_target_pod()
    {
        _a.Get("pods", Pod("promoted"));
        _a.Write("PATCH", "pods", Pod("demoted"));
        _b.MissingWhere("GET", "volumes", ("names", "draas-fo-mig1-db"));
        _b.Get("pod-replica-links", new
        {
            id = "l1",
            direction = "inbound",
            lag = 0,
            recovery_point = 1_767_600_000_000L,
            local_pod = new { name = Pg },
            remote_pod = new { name = Pg },
            remotes = new[] { new { name = "array-a" } },
            paused = false,
            status = "quiesced",
        });
        _b.Get("pods", Pod("demoted"));
        _b.Write("PATCH", "pods", Pod("promoted"));
        _b.GetWhere("volumes", ("names", $"{Pg}::db"), new { id = "v1", name = $"{Pg}::db", provisioned = 1L << 30, destroyed = false, space = new { @virtual = 1L << 20 } });
        _b.Get("arrays/space", new { name = "array-b", capacity = 1L << 40, space = new { total_physical = 0 } });
        _b.Write("POST", "volumes", new { id = "n1", name = "draas-fo-mig1-db", provisioned = 1L << 30, destroyed = false });

        var demoted = await _plugin.DemoteSourceAsync(Group(ReplicationMode.Continuous), quiesce: true);
        var promoted = await _plugin.PromoteVolumeAsync(new PromoteRequest(Group(ReplicationMode.Continuous), "db", "mig1", PromotePurpose.Failover));

        Assert.That(_a.Calls(), Is.EqualTo(new[]
        {
            $"GET /pods?names={Pg}",
            $"PATCH /pods?names={Pg}&quiesce=true {{\"requested_promotion_state\":\"demoted\"}}",
        }));
        Assert.That(_b.Calls(), Is.EqualTo(new[]
        {
            "GET /volumes?names=draas-fo-mig1-db",
            $"GET /pod-replica-links?local_pod_names={Pg}",
            $"GET /pods?names={Pg}",
            $"PATCH /pods?names={Pg} {{\"requested_promotion_state\":\"promoted\"}}",
            $"GET /volumes?names={Pg}%3A%3Adb",
            "GET /arrays/space",
            $"POST /volumes?names=draas-fo-mig1-db {{\"source\":{{\"name\":\"{Pg}::db\"}}}}",
        }));
        Assert.That(demoted.Quiesced, Is.True);
        Assert.That(promoted.RecoveryPoint.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1_767_600_000_000L)));
    }

    [Test]
    public async Task A_disaster_demote_skips_the_quiesce()
    {
        _a.Get("pods", Pod("promoted"));
        _a.Write("PATCH", "pods", Pod("demoted"));

        await _plugin.DemoteSourceAsync(Group(ReplicationMode.Continuous), quiesce: false);

        Assert.That(_a.Calls().Last(), Is.EqualTo($"PATCH /pods?names={Pg}&skip_quiesce=true {{\"requested_promotion_state\":\"demoted\"}}"));
    }

    private void StubReplicatedSnapshot()
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        _b.On("GET", "volumes", null, 400, new { errors = new[] { new { context = "x", message = "Volume does not exist." } } });
        _b.Get("protection-group-snapshots", new { id = "s7", name = "array-a:draas-p1-web.7", created, destroyed = false });
        _b.Get("protection-group-snapshots/transfer",
            new { name = "array-a:draas-p1-web.7", id = "s7", destroyed = false, started = created, completed = created + 1000, progress = 1.0 });
        _b.Get("volume-snapshots", new { id = "vs", name = "array-a:draas-p1-web.7.vol1", provisioned = 10L << 30, destroyed = false, space = new { @virtual = 3L << 20 } });
        _b.Get("arrays/space", new { name = "array-b", capacity = 1L << 40, space = new { total_physical = 1L << 30 } });
    }

    private static object Volume(string name) => new { id = "id-" + name, name, provisioned = 1L << 30, destroyed = false };

    /// <summary>A group as the array shows it; a new one carries Purity's default retention (a day).</summary>
    private static object ProtectionGroup(bool enabled, long frequency, long allForSec = 14_400) => new
    {
        id = "pg1",
        name = Pg,
        destroyed = false,
        is_local = true,
        replication_schedule = new { enabled, frequency },
        target_retention = new { all_for_sec = allForSec, per_day = 3, days = 7 },
    };

    private static object Member(string volume) => new { group = new { name = Pg }, member = new { name = volume } };

    private static object Target(string array, bool allowed) => new { group = new { name = Pg }, member = new { name = array }, allowed, status = "replicating" };

    private static object Connection(string remote, string type) => new { id = "c1", name = remote, remote = new { name = remote }, status = "connected", type };

    private static object Pod(string state) => new { id = "pod1", name = Pg, destroyed = false, promotion_status = state, requested_promotion_state = state };
}
