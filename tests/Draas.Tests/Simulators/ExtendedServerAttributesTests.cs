using System.Net;
using System.Text.Json.Nodes;

namespace Draas.Tests.Simulators;

/// <summary>Nova's extended server attributes (2.3+, admin) as real Nova (Zed) shows them for a server
/// booted from a volume: what a manifest needs to rebuild it (root device name, user data).</summary>
public sealed class ExtendedServerAttributesTests : SimulatorTestBase
{
    [Test]
    public async Task An_admin_sees_the_hostname_root_device_and_user_data_of_a_server_booted_from_a_volume()
    {
        var volume = await AvailableVolumeAsync(Admin, "root");
        await Admin.CallAsync(HttpMethod.Post, $"{Admin.Volume}/volumes/{volume}/action", HttpStatusCode.OK,
            new JsonObject { ["os-set_bootable"] = new JsonObject { ["bootable"] = true } });
        var body = BootFromVolume("Web Server_1", volume);
        body["server"]!["user_data"] = "aGVsbG8=";
        var id = Str((await Admin.CallAsync(HttpMethod.Post, $"{Admin.Compute}/servers", HttpStatusCode.Accepted, body))!["server"], "id");
        Clock.Advance(TimeSpan.FromSeconds(5));

        var server = (await Admin.GetAsync($"{Admin.Compute}/servers/{id}", "compute 2.79"))!["server"]!;
        var member = (await Demo.CallAsync(HttpMethod.Get, $"{Demo.Compute}/servers", HttpStatusCode.OK))!;

        Assert.That(Str(server, "OS-EXT-SRV-ATTR:hostname"), Is.EqualTo("web-server-1"));
        Assert.That(Str(server, "OS-EXT-SRV-ATTR:root_device_name"), Does.StartWith("/dev/"));
        Assert.That(Str(server, "OS-EXT-SRV-ATTR:user_data"), Is.EqualTo("aGVsbG8="));
        Assert.That(Str(server, "OS-EXT-SRV-ATTR:reservation_id"), Does.Match("^r-[0-9a-z]{8}$"));
        Assert.That(server["OS-EXT-SRV-ATTR:launch_index"]!.GetValue<int>(), Is.Zero);
        Assert.That(member["servers"]!.AsArray(), Is.Empty, "the member sees none of the admin project's servers");
    }
}
