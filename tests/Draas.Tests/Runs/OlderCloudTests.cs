using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.Simulators.OpenStack.Core;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// Clouds are upgraded at their own pace. The service agrees a microversion with each site's Nova and Cinder
/// before it uses them: a recovery site older than the service supports is refused in preflight with what it
/// needs, and the same plan recovers there once the site is upgraded, without restarting the service.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OlderCloudTests
{
    private TenantInTheLab _t = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    private async Task<(int Servers, int Volumes)> RecoverySiteAsync() => (
        await _t.AdminB.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true }, Ct).CountAsync(Ct),
        await _t.AdminB.BlockStorage.Volumes.ListAsync(new VolumeListOptions { AllTenants = true }, Ct).CountAsync(Ct));

    [Test]
    public async Task A_drill_into_a_recovery_site_whose_Nova_is_too_old_stops_in_preflight_saying_what_it_needs_and_succeeds_after_the_upgrade()
    {
        var nova = _t.Lab.SiteB.OpenStack;
        var before = await RecoverySiteAsync();
        nova.NovaMaxMicroversion = new Microversion(2, 60);
        System.Text.Json.Nodes.JsonNode refused;
        try
        {
            refused = await _t.RunAsync("drill");
        }
        finally
        {
            nova.NovaMaxMicroversion = new Microversion(2, 93);
        }

        Assert.That(refused["state"]!.GetValue<string>(), Is.EqualTo("failed"), TenantInTheLab.Describe(refused));
        var preflight = refused["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "preflight")!;
        Assert.That(preflight["state"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(preflight["error"]!.GetValue<string>(), Does.Contain("Nova").And.Contain("2.60").And.Contain("2.64"));
        Assert.That(refused["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == "promote_volume").Select(s => s!["state"]!.GetValue<string>()),
            Has.None.EqualTo("succeeded"), "nothing was promoted for a site that cannot take it");
        Assert.That(await RecoverySiteAsync(), Is.EqualTo(before), "the recovery site was not touched");

        var upgraded = await _t.RunAsync("drill");

        Assert.That(upgraded["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(upgraded));
        Assert.That(await RecoverySiteAsync(), Is.EqualTo(before), "the drill cleaned up after itself");
    }
}
