using System.Net;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Cinder's "manage existing" as the recovery site sees a promoted replica: the array volume is
/// imported, renamed like the Pure driver does, and sized from the array.</summary>
public sealed class ManageExistingTests : SimulatorTestBase
{
    private const long GiB = 1L << 30;

    private JsonObject ManageBody(string sourceName, string host = "site-a@pure#pure") => new()
    {
        ["volume"] = new JsonObject
        {
            ["host"] = host,
            ["ref"] = new JsonObject { ["source-name"] = sourceName },
            ["name"] = "recovered-" + sourceName,
            ["volume_type"] = "pure-replicated",
        },
    };

    private Task<JsonNode?> ManageAsync(string sourceName, HttpStatusCode expected = HttpStatusCode.Accepted, string microversion = "volume 3.8") =>
        Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/manageable_volumes", expected, ManageBody(sourceName), microversion);

    [Test]
    public async Task ManagingAPromotedReplica_ImportsItRenamedLikeThePureDriver_SizedUpToWholeGiB()
    {
        SiteA.Array.Seed("pgroup1.replica-db1", (long)(1.5 * GiB), connected: false, "w1", "w2");

        var answer = await ManageAsync("pgroup1.replica-db1");
        var id = Str(answer!["volume"], "id");

        Assert.That(Str(answer["volume"], "status"), Is.EqualTo("creating"), "Cinder shows its internal 'managing' as 'creating'");
        Assert.That((await VolumeAsync(Admin, id))["status"]!.GetValue<string>(), Is.EqualTo("creating"), "nothing happens before the clock moves");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var volume = await VolumeAsync(Admin, id);
        Assert.That(Str(volume, "status"), Is.EqualTo("available"));
        Assert.That(volume["size"]!.GetValue<int>(), Is.EqualTo(2), "1.5 GiB rounds up");
        Assert.That(Str(volume, "os-vol-host-attr:host"), Is.EqualTo("site-a@pure#pure"));
        Assert.That(Str(volume, "volume_type"), Is.EqualTo("pure-replicated"));
        Assert.That(SiteA.Array.Find("pgroup1.replica-db1"), Is.Null, "the source name is gone");
        Assert.That(SiteA.Array.Find($"volume-{id}-cinder")!.WriteLog, Is.EqualTo(new[] { "w1", "w2" }), "same contents, new name");
    }

    [Test]
    public async Task ManagingAVolumeConnectedToAHost_EndsInErrorManaging_AndLeavesTheArrayAlone()
    {
        SiteA.Array.Seed("still-attached", GiB, connected: true);

        var id = Str((await ManageAsync("still-attached"))!["volume"], "id");
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(Str(await VolumeAsync(Admin, id), "status"), Is.EqualTo("error"));
        Assert.That(SiteA.Array.Find("still-attached"), Is.Not.Null);
    }

    [Test]
    public async Task ManagingANameTheArrayDoesNotHave_EndsInErrorManaging()
    {
        var id = Str((await ManageAsync("no-such-volume"))!["volume"], "id");
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(Str(await VolumeAsync(Admin, id), "status"), Is.EqualTo("error"));
    }

    [Test]
    public async Task ManagingAVolumeCinderAlreadyOwns_EndsInErrorManaging()
    {
        var owned = await AvailableVolumeAsync(Admin, "owned");

        var id = Str((await ManageAsync($"volume-{owned}-cinder"))!["volume"], "id");
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(Str(await VolumeAsync(Admin, id), "status"), Is.EqualTo("error"));
        Assert.That(Str(await VolumeAsync(Admin, owned), "status"), Is.EqualTo("available"), "the owner is untouched");
    }

    [Test]
    public async Task ManageExisting_IsAdminOnly_LikeCindersDefaultPolicy()
    {
        SiteA.Array.Seed("replica", GiB);

        var answer = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Volume}/manageable_volumes", HttpStatusCode.Forbidden, ManageBody("replica"), "volume 3.8");

        Assert.That(Str(answer!["forbidden"], "message"), Does.Contain("volume_manage"));
        Assert.That(SiteA.Array.Find("replica"), Is.Not.Null);
    }

    [Test]
    public async Task ManageableVolumesApi_NeedsMicroversion38()
    {
        SiteA.Array.Seed("replica", GiB);

        await ManageAsync("replica", HttpStatusCode.NotFound, "volume 3.7");
        await ManageAsync("replica", HttpStatusCode.Accepted, "volume 3.8");
    }

    [Test]
    public async Task ManagingOnAHostTheSiteDoesNotHave_IsBadRequest()
    {
        SiteA.Array.Seed("replica", GiB);

        await Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/manageable_volumes", HttpStatusCode.BadRequest,
            ManageBody("replica", host: "site-b@pure#pure"), "volume 3.8");
    }

    [Test]
    public async Task ManageableList_MarksConnectedAndAlreadyManagedVolumesUnsafe()
    {
        SiteA.Array.Seed("free", 3 * GiB);
        SiteA.Array.Seed("busy", GiB, connected: true);
        var owned = await AvailableVolumeAsync(Admin, "owned");

        var list = await Admin.GetAsync($"{Admin.Volume}/manageable_volumes/detail?host=site-a@pure%23pure", "volume 3.8");

        var byName = list!["manageable-volumes"]!.AsArray().ToDictionary(v => Str(v!["reference"], "source-name"), v => v!);
        Assert.That(byName["free"]["safe_to_manage"]!.GetValue<bool>(), Is.True);
        Assert.That(byName["free"]["size"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(byName["busy"]["safe_to_manage"]!.GetValue<bool>(), Is.False);
        Assert.That(Str(byName[$"volume-{owned}-cinder"], "cinder_id"), Is.EqualTo(owned));
        Assert.That(Str(byName[$"volume-{owned}-cinder"], "reason_not_safe"), Is.EqualTo("Volume already managed"));
    }

    [Test]
    public async Task Unmanage_ForgetsTheVolume_AndTheArrayKeepsItUnderAnUnmanagedName_ReadyToManageAgain()
    {
        var id = await AvailableVolumeAsync(Admin, "to-release");

        await Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/volumes/{id}/action", HttpStatusCode.Accepted, new JsonObject { ["os-unmanage"] = new JsonObject() });
        await Admin.CallAsync(HttpMethod.Get, $"{Admin.Volume}/volumes/{id}", HttpStatusCode.NotFound);

        var released = $"volume-{id}-cinder-unmanaged";
        Assert.That(SiteA.Array.Find(released), Is.Not.Null);
        var again = Str((await ManageAsync(released))!["volume"], "id");
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Str(await VolumeAsync(Admin, again), "status"), Is.EqualTo("available"));
    }

    [Test]
    public async Task TwoManagesOfOneReplica_OnlyTheFirstWins()
    {
        SiteA.Array.Seed("replica", GiB);

        var first = Str((await ManageAsync("replica"))!["volume"], "id");
        var second = Str((await ManageAsync("replica"))!["volume"], "id");
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(Str(await VolumeAsync(Admin, first), "status"), Is.EqualTo("available"));
        Assert.That(Str(await VolumeAsync(Admin, second), "status"), Is.EqualTo("error"));
    }
}
