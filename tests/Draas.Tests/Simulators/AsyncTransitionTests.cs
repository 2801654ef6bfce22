using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Status changes happen on the simulator's clock: a test moves the clock and sees the next
/// state on its next request, without sleeping.</summary>
public sealed class AsyncTransitionTests : SimulatorTestBase
{
    [Test]
    public async Task NewVolume_StaysCreatingUntilTheClockPassesTheCreateDelay()
    {
        var created = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Volume}/volumes", HttpStatusCode.Accepted,
            new JsonObject { ["volume"] = new JsonObject { ["size"] = 1, ["name"] = "slow" } });
        var id = Str(created!["volume"], "id");

        Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(Str(await VolumeAsync(Demo, id), "status"), Is.EqualTo("creating"));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(Str(await VolumeAsync(Demo, id), "status"), Is.EqualTo("available"));
    }

    [Test]
    public async Task BootFromVolume_IsBuildUntilTheBuildDelay_ThenActiveWithTheVolumeInUse()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");

        var created = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("web-1", volume));
        var id = Str(created!["server"], "id");

        var building = await ServerAsync(Demo, id);
        Assert.That(Str(building, "status"), Is.EqualTo("BUILD"));
        Assert.That(Str(building, "OS-EXT-STS:vm_state"), Is.EqualTo("building"));
        Assert.That(Str(await VolumeAsync(Demo, volume), "status"), Is.EqualTo("reserved"));

        Clock.Advance(TimeSpan.FromSeconds(2));

        var active = await ServerAsync(Demo, id);
        Assert.That(Str(active, "status"), Is.EqualTo("ACTIVE"));
        Assert.That(active["OS-EXT-STS:power_state"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Str(active["os-extended-volumes:volumes_attached"]![0], "id"), Is.EqualTo(volume));
        var root = await VolumeAsync(Demo, volume);
        Assert.That(Str(root, "status"), Is.EqualTo("in-use"));
        Assert.That(Str(root["attachments"]![0], "server_id"), Is.EqualTo(id));
        Assert.That(SiteA.Array.Find($"volume-{volume}-cinder")!.Connected, Is.True, "the array volume is connected to the compute host");
    }

    [Test]
    public async Task ServerBuild_GoesToErrorWithItsFault_WhenTheSiteFailsBuilds_AndReleasesTheVolume()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        SiteA.FailServerBuilds = "No valid host was found. There are not enough hosts available.";

        var id = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("web-1", volume)))!["server"], "id");
        Clock.Advance(TimeSpan.FromSeconds(2));

        var server = await ServerAsync(Demo, id);
        Assert.That(Str(server, "status"), Is.EqualTo("ERROR"));
        Assert.That(Str(server["fault"], "message"), Does.Contain("No valid host"));
        Assert.That(Str(await VolumeAsync(Demo, volume), "status"), Is.EqualTo("available"));
    }

    [Test]
    public async Task StopThenStart_MovesThroughShutoffBackToActive_AndRejectsAStopWhileStopped()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        var id = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("web-1", volume)))!["server"], "id");
        Clock.Advance(TimeSpan.FromSeconds(2));

        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers/{id}/action", HttpStatusCode.Accepted, new JsonObject { ["os-stop"] = null });
        Assert.That(Str(await ServerAsync(Demo, id), "OS-EXT-STS:task_state"), Is.EqualTo("powering-off"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Str(await ServerAsync(Demo, id), "status"), Is.EqualTo("SHUTOFF"));
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers/{id}/action", HttpStatusCode.Conflict, new JsonObject { ["os-stop"] = null });

        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers/{id}/action", HttpStatusCode.Accepted, new JsonObject { ["os-start"] = null });
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(Str(await ServerAsync(Demo, id), "status"), Is.EqualTo("ACTIVE"));
    }

    [Test]
    public async Task AttachingADataVolume_SetsItInUseWithAnAttachment_AndDetachingMakesItAvailable()
    {
        var root = await AvailableVolumeAsync(Demo, "root");
        var data = await AvailableVolumeAsync(Demo, "data");
        var id = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("db-1", root)))!["server"], "id");
        Clock.Advance(TimeSpan.FromSeconds(2));

        var attached = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers/{id}/os-volume_attachments", HttpStatusCode.OK,
            new JsonObject { ["volumeAttachment"] = new JsonObject { ["volumeId"] = data } });

        Assert.That(Str(attached!["volumeAttachment"], "device"), Is.EqualTo("/dev/vdb"));
        var volume = await VolumeAsync(Demo, data);
        Assert.That(Str(volume, "status"), Is.EqualTo("in-use"));
        Assert.That(Str(volume["attachments"]![0], "server_id"), Is.EqualTo(id));
        Assert.That(Str(volume["attachments"]![0], "device"), Is.EqualTo("/dev/vdb"));
        var listed = await Demo.GetAsync($"{Demo.Compute}/servers/{id}/os-volume_attachments");
        Assert.That(listed!["volumeAttachments"]!.AsArray().Select(a => Str(a, "volumeId")), Is.EquivalentTo(new[] { root, data }));

        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Compute}/servers/{id}/os-volume_attachments/{root}", HttpStatusCode.BadRequest);
        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Compute}/servers/{id}/os-volume_attachments/{data}", HttpStatusCode.Accepted);
        Assert.That(Str(await VolumeAsync(Demo, data), "status"), Is.EqualTo("available"));
        Assert.That(SiteA.Array.Find($"volume-{data}-cinder")!.Connected, Is.False);
    }

    [Test]
    public async Task DeletingAnInUseVolume_IsRefused()
    {
        var root = await AvailableVolumeAsync(Demo, "root");
        await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("db-1", root));
        Clock.Advance(TimeSpan.FromSeconds(2));

        await Demo.CallAsync(HttpMethod.Delete, $"{Demo.Volume}/volumes/{root}", HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ImageUpload_ComputesGlanceChecksums_AndTheImageIsSavingUntilTheImportDelay()
    {
        SiteA.Delays = SiteA.Delays with { ImageImport = TimeSpan.FromSeconds(3) };
        var image = await Demo.CallAsync(HttpMethod.Post, $"{Demo.Image}/images", HttpStatusCode.Created,
            new JsonObject { ["name"] = "golden", ["disk_format"] = "raw", ["container_format"] = "bare" });
        var id = Str(image, "id");
        Assert.That(Str(image, "status"), Is.EqualTo("queued"));
        var bytes = System.Text.Encoding.ASCII.GetBytes("a tiny disk");
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using (var put = await Demo.SendAsync(HttpMethod.Put, $"{Demo.Image}/images/{id}/file", content: content))
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var saving = await Demo.GetAsync($"{Demo.Image}/images/{id}");
        Assert.That(Str(saving, "status"), Is.EqualTo("saving"));
        Clock.Advance(TimeSpan.FromSeconds(3));
        var active = await Demo.GetAsync($"{Demo.Image}/images/{id}");
        Assert.That(Str(active, "status"), Is.EqualTo("active"));
        Assert.That(Str(active, "checksum"), Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(bytes)).ToLowerInvariant()));
        Assert.That(Str(active, "os_hash_algo"), Is.EqualTo("sha512"));
        Assert.That(Str(active, "os_hash_value"), Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(bytes)).ToLowerInvariant()));
        using var download = await Demo.SendAsync(HttpMethod.Get, $"{Demo.Image}/images/{id}/file");
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
    }

    [Test]
    public async Task AGuestWrite_ReachesTheArrayVolumeBehindTheServersRootVolume_OnlyWhileItRuns()
    {
        var volume = await AvailableVolumeAsync(Demo, "root");
        var id = Str((await Demo.CallAsync(HttpMethod.Post, $"{Demo.Compute}/servers", HttpStatusCode.Accepted, BootFromVolume("db-1", volume)))!["server"], "id");

        Assert.That(SiteA.WriteFromServer(id, "too-early"), Is.False, "a building server writes nothing");
        Clock.Advance(TimeSpan.FromSeconds(2));
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Sim.AdminUrl}/sites/site-a/servers/{id}/writes",
            new StringContent("""{"write": "order-42"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(SiteA.Array.Find($"volume-{volume}-cinder")!.WriteLog, Is.EqualTo(new[] { "order-42" }));
    }
}
