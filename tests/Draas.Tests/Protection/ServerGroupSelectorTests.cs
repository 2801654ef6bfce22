using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.ServerGroups;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Tests.Support;

namespace Draas.Tests.Protection;

/// <summary>
/// A tenant protects "everything in my server group" instead of listing servers: every server in the Nova
/// server group is a member, and one booted into the group later is protected within one cycle.
/// </summary>
[TestFixture]
public sealed class ServerGroupSelectorTests
{
    private TenantFixture _t = null!;
    private KeystoneSession _tenant = null!;
    private ArrayInspector _arrayA = null!;
    private string _group = null!;
    private string _plan = null!;
    private readonly List<string> _bootVolumes = [];

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantFixture.StartAsync();
        _arrayA = new ArrayInspector(_t.Lab.SiteA.ArrayUrl, _t.Lab.SiteA.ApiToken);
        _tenant = _t.SessionIn("demo");
        _group = (await _tenant.Compute.ServerGroups.CreateAsync(new CreateServerGroupOptions { Name = "shop-web", Policy = "soft-anti-affinity" }, Ct)).Id;
        await BootIntoGroupAsync("web-1");
        await BootIntoGroupAsync("web-2");
        // A server outside the group is not protected by the selector.
        await _t.WorkloadAsync();
        var protection = (await _t.CreateAsync("/v1/protections", TenantFixture.Admin, _t.Enrolment("shop", _t.ProjectA)))["protection"]!["id"]!.GetValue<string>();
        _plan = (await _t.CreateAsync("/v1/plans", TenantFixture.MemberA, new
        {
            plan = new { protection_id = protection, name = "web-tier", selector = new { server_group = _group } },
        }))["plan"]!["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _arrayA.Dispose();
        _tenant.Dispose();
        await _t.DisposeAsync();
    }

    private async Task<string> BootIntoGroupAsync(string name)
    {
        var boot = (await _tenant.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = $"{name}-boot" }, Ct)).Id;
        await _tenant.BlockStorage.Volumes.WaitForStatusAsync(boot, "available", null, Ct);
        await _tenant.BlockStorage.Volumes.SetBootableAsync(boot, true, Ct);
        var server = (await _tenant.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = name,
            FlavorRef = "2",
            Networks = ServerNetworks.None,
            ServerGroupId = _group,
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot)],
        }, Ct)).Id;
        await _tenant.Compute.Servers.WaitForStatusAsync(server, "ACTIVE", null, Ct);
        _bootVolumes.Add(boot);
        return server;
    }

    private async Task<string[]> ProtectAndReadGroupAsync(int expectedMembers)
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, $"/v1/plans/{_plan}/action", TenantFixture.MemberA, new { capture = new { } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        return await Eventually.WaitForAsync(async () =>
        {
            var members = (await _arrayA.GetAsync("protection-groups/volumes")).Select(m => m!["member"]!["name"]!.GetValue<string>()).Order().ToArray();
            return members.Length == expectedMembers ? members : null;
        }, $"array-a's protection group to hold {expectedMembers} volumes");
    }

    [Test, Order(1)]
    public async Task Every_server_in_the_group_is_protected_and_no_other()
    {
        var members = await ProtectAndReadGroupAsync(2);

        Assert.That(members, Is.EqualTo(_bootVolumes.Select(v => $"volume-{v}-cinder").Order().ToArray()));
        var (_, manifest, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/1", TenantFixture.MemberA);
        Assert.That(manifest!["manifest"]!["content"]!["servers"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "web-1", "web-2" }));
    }

    [Test, Order(2)]
    public async Task A_server_booted_into_the_group_later_is_protected_in_the_next_cycle()
    {
        var web3 = await BootIntoGroupAsync("web-3");

        var members = await ProtectAndReadGroupAsync(3);

        Assert.That(members, Does.Contain($"volume-{_bootVolumes[^1]}-cinder"));
        var (_, diff, _) = await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_plan}/manifests/2?diff=1", TenantFixture.MemberA);
        Assert.That(diff!["diff"]!["changes"]!["servers"]!["added"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { web3 }));
    }
}
