using System.Net;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Cinder resources around volumes: types, snapshots, metadata, pools, services, quotas, and the
/// site's state staying consistent under parallel requests.</summary>
public sealed class CinderResourceTests : SimulatorTestBase
{
    [Test]
    public async Task ParallelCreates_NeverPassTheProjectsVolumeQuota()
    {
        var body = new JsonObject { ["volume"] = new JsonObject { ["size"] = 1 } };

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Demo.SendAsync(HttpMethod.Post, $"{Demo.Volume}/volumes", body.DeepClone());
            return response.StatusCode;
        }));

        Assert.That(statuses.Count(s => s == HttpStatusCode.Accepted), Is.EqualTo(10));
        Assert.That(statuses.Count(s => s == HttpStatusCode.RequestEntityTooLarge), Is.EqualTo(10));
        var list = await Demo.GetAsync($"{Demo.Volume}/volumes");
        Assert.That(list!["volumes"]!.AsArray(), Has.Count.EqualTo(10));
    }

    [Test]
    public async Task VolumeTypes_CarryTheirExtraSpecs_AndOnlyAdminsChangeThem()
    {
        var types = await Demo.GetAsync($"{Demo.Volume}/types");
        var replicated = types!["volume_types"]!.AsArray().Single(t => Str(t, "name") == "pure-replicated")!;
        Assert.That(Str(replicated["extra_specs"], "replication_type"), Is.EqualTo("<in> async"));
        var id = Str(replicated, "id");

        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Volume}/types/{id}/extra_specs", HttpStatusCode.Forbidden,
            new JsonObject { ["extra_specs"] = new JsonObject { ["draas:tier"] = "gold" } });
        await Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/types/{id}/extra_specs", HttpStatusCode.OK,
            new JsonObject { ["extra_specs"] = new JsonObject { ["draas:tier"] = "gold" } });

        var specs = await Demo.GetAsync($"{Demo.Volume}/types/{id}/extra_specs");
        Assert.That(Str(specs!["extra_specs"], "draas:tier"), Is.EqualTo("gold"));
        Assert.That(Str((await Demo.GetAsync($"{Demo.Volume}/types/default"))!["volume_type"], "name"), Is.EqualTo("pure"));
    }

    [Test]
    public async Task ASnapshot_GoesAvailableOnTheClock_AndKeepsItsVolumeFromBeingDeleted()
    {
        var volume = await AvailableVolumeAsync(Demo, "db");

        var snapshot = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Volume}/snapshots", HttpStatusCode.Accepted,
            new JsonObject { ["snapshot"] = new JsonObject { ["volume_id"] = volume, ["name"] = "before-drill" } });
        var id = Str(snapshot!["snapshot"], "id");
        Assert.That(Str(snapshot["snapshot"], "status"), Is.EqualTo("creating"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var shown = await Demo.GetAsync($"{Demo.Volume}/snapshots/{id}");
        Assert.That(Str(shown!["snapshot"], "status"), Is.EqualTo("available"));
        Assert.That(Str(shown["snapshot"], "os-extended-snapshot-attributes:progress"), Is.EqualTo("100%"));

        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Volume}/volumes/{volume}", HttpStatusCode.BadRequest);
        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Volume}/snapshots/{id}", HttpStatusCode.Accepted);
        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Volume}/volumes/{volume}", HttpStatusCode.Accepted);
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/volumes/{volume}", HttpStatusCode.NotFound);
        Assert.That(SiteA.Array.Find($"volume-{volume}-cinder"), Is.Null, "deleting the volume deletes it on the array");
    }

    [Test]
    public async Task VolumeMetadata_PostMerges_PutReplaces_AndBootableIsAnAction()
    {
        var volume = await AvailableVolumeAsync(Demo, "meta");
        var url = $"{Demo.Volume}/volumes/{volume}";

        await Demo.CallAsync(HttpMethod.Post, $"{url}/metadata", HttpStatusCode.OK, new JsonObject { ["metadata"] = new JsonObject { ["a"] = "1" } });
        await Demo.CallAsync(HttpMethod.Post, $"{url}/metadata", HttpStatusCode.OK, new JsonObject { ["metadata"] = new JsonObject { ["b"] = "2" } });
        Assert.That((await Demo.GetAsync($"{url}/metadata"))!["metadata"]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "a", "b" }));
        await Demo.CallAsync(HttpMethod.Put, $"{url}/metadata", HttpStatusCode.OK, new JsonObject { ["metadata"] = new JsonObject { ["c"] = "3" } });
        Assert.That((await Demo.GetAsync($"{url}/metadata"))!["metadata"]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "c" }));

        await Demo.CallAsync(HttpMethod.Post, $"{url}/action", HttpStatusCode.OK, new JsonObject { ["os-set_bootable"] = new JsonObject { ["bootable"] = true } });
        Assert.That(Str(await VolumeAsync(Demo, volume), "bootable"), Is.EqualTo("true"));
    }

    [Test]
    public async Task SchedulerPools_NameTheBackendHostAtBackendHashPool_ForAdminsOnly()
    {
        await AvailableVolumeAsync(Admin, "used", size: 5);

        var pools = await Admin.GetAsync($"{Admin.Volume}/scheduler-stats/get_pools?detail=True");
        var pool = pools!["pools"]!.AsArray().Single()!;

        Assert.That(Str(pool, "name"), Is.EqualTo("site-a@pure#pure"));
        Assert.That(pool["capabilities"]!["allocated_capacity_gb"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(Str(pool["capabilities"], "volume_backend_name"), Is.EqualTo("pure"));
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/scheduler-stats/get_pools", HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Services_ListTheSchedulerAndTheVolumeServiceOfTheBackend()
    {
        var services = await Admin.GetAsync($"{Admin.Volume}/os-services", "volume 3.49");

        var volume = services!["services"]!.AsArray().Single(s => Str(s, "binary") == "cinder-volume")!;
        Assert.That(Str(volume, "host"), Is.EqualTo("site-a@pure"));
        Assert.That(Str(volume, "state"), Is.EqualTo("up"));
        Assert.That(Str(volume, "backend_state"), Is.EqualTo("up"));
    }

    [Test]
    public async Task QuotaSet_WithUsage_CountsTheProjectsVolumesAndGigabytes()
    {
        await AvailableVolumeAsync(Demo, "a", size: 2);
        await AvailableVolumeAsync(Demo, "b", size: 3);

        var quota = await Demo.GetAsync($"{Demo.Volume}/os-quota-sets/{Demo.ProjectId}?usage=True");

        Assert.That(quota!["quota_set"]!["volumes"]!["in_use"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(quota["quota_set"]!["gigabytes"]!["in_use"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(quota["quota_set"]!["volumes"]!["limit"]!.GetValue<int>(), Is.EqualTo(10));
        await Demo.CallAsync(HttpMethod.Get, $"{Demo.Volume}/os-quota-sets/{Admin.ProjectId}", HttpStatusCode.Forbidden);
    }
}
