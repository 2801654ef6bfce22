using System.Net;
using System.Net.Http.Json;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Identity;
using Draas.Plugins.Pure;
using Draas.Plugins.Pure.Rest;
using Draas.Simulators.FlashArray;
using Draas.Simulators.Lab;
using Draas.Simulators.OpenStack;
using Draas.Storage;

namespace Draas.Tests.Lab;

/// <summary>A fresh DR lab per test on a stopped clock, with the product's own clients pointed at it: Keystone
/// sessions (site-a's admin and tenant, site-b's admin), the Pure plugin and a FlashArray REST client per
/// array. All of them run on the lab's clock, so a token expires and a schedule fires only when the test
/// advances it.</summary>
public abstract class LabTestBase
{
    protected const long GiB = 1L << 30;
    private readonly List<IDisposable> _owned = [];
    private HttpClient _simAdmin = null!;

    protected DrLab Lab { get; private set; } = null!;
    protected KeystoneSession SiteAAdmin { get; private set; } = null!;
    protected KeystoneSession SiteATenant { get; private set; } = null!;
    protected KeystoneSession SiteBAdmin { get; private set; } = null!;
    protected PurePlugin Plugin { get; private set; } = null!;
    protected ArrayRef ArrayA { get; private set; } = null!;
    protected ArrayRef ArrayB { get; private set; } = null!;
    protected FlashArrayClient RestA { get; private set; } = null!;
    protected FlashArrayClient RestB { get; private set; } = null!;
    protected static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    /// <summary>The lab a fixture runs on; the default clock stands still between advances.</summary>
    protected virtual DrLabOptions Options => new();

    [SetUp]
    public async Task StartLab()
    {
        Lab = await DrLab.StartAsync(Options);
        SiteAAdmin = Own(Session(Lab.SiteA.Admin));
        SiteATenant = Own(Session(Lab.SiteA.Demo));
        SiteBAdmin = Own(Session(Lab.SiteB.Admin));
        Plugin = Own(new PurePlugin(time: Lab.Clock));
        ArrayA = new ArrayRef(Lab.SiteA.ArrayName, Lab.SiteA.ArrayUrl, Lab.SiteA.ApiToken);
        ArrayB = new ArrayRef(Lab.SiteB.ArrayName, Lab.SiteB.ArrayUrl, Lab.SiteB.ApiToken);
        RestA = Own(Rest(ArrayA));
        RestB = Own(Rest(ArrayB));
        _simAdmin = Own(new HttpClient { BaseAddress = new Uri(Lab.OpenStack.AdminUrl + "/") });
    }

    [TearDown]
    public async Task StopLab()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
        await Lab.DisposeAsync();
    }

    /// <summary>The Pure Cinder driver's name for a Cinder volume on the array.</summary>
    protected static string OnArray(string cinderVolumeId) => $"volume-{cinderVolumeId}-cinder";

    /// <summary>Creates a volume through Cinder and lets the clock pass its creation.</summary>
    protected async Task<Volume> AvailableVolumeAsync(KeystoneSession s, string name, int sizeGiB)
    {
        var created = await s.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = sizeGiB, Name = name }, Ct);
        Lab.Advance(TimeSpan.FromSeconds(5));
        var volume = await s.BlockStorage.Volumes.GetAsync(created.Id, Ct);
        Assert.That(volume.Status, Is.EqualTo("available"), $"volume {name}");
        return volume;
    }

    /// <summary>Boots a server from <paramref name="bootVolumeId"/> with the data volumes attached, and lets it go ACTIVE.</summary>
    protected async Task<Server> ActiveServerAsync(KeystoneSession s, string name, string bootVolumeId, params string[] dataVolumeIds)
    {
        var created = await s.Compute.Servers.CreateAsync(new CreateServerOptions
        {
            Name = name,
            FlavorRef = "2",
            Networks = ServerNetworks.None,
            BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(bootVolumeId), .. dataVolumeIds.Select(id => BlockDeviceMapping.DataVolume(id))],
        }, Ct);
        Lab.Advance(TimeSpan.FromSeconds(5));
        var server = await s.Compute.Servers.GetAsync(created.Id, Ct);
        Assert.That(server.Status, Is.EqualTo("ACTIVE"), $"server {name}");
        return server;
    }

    /// <summary>Site B's Cinder imports an array volume with manage-existing (ref source-name) and the clock
    /// passes the driver's checks; returns the volume as Cinder then shows it.</summary>
    protected async Task<Volume> ManageAsync(string arrayVolume, string name, bool bootable = false)
    {
        var managing = await SiteBAdmin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
        {
            Host = Lab.SiteB.CinderBackend,
            Ref = ManageVolumeOptions.SourceName(arrayVolume),
            Name = name,
            VolumeType = "pure-replicated",
            Bootable = bootable,
        }, Ct);
        // Real Cinder shows an import in progress as "creating" (its internal "managing" is not in the API).
        Assert.That(managing.Status, Is.EqualTo("creating"), "Cinder answers at once; the driver checks afterwards");
        Lab.Advance(TimeSpan.FromSeconds(5));
        return await SiteBAdmin.BlockStorage.Volumes.GetAsync(managing.Id, Ct);
    }

    /// <summary>What the guest writes to a disk, through the OpenStack simulator's admin API.</summary>
    protected async Task GuestWriteAsync(LabSite site, string serverId, string data, string? volumeId = null)
    {
        using var response = await _simAdmin.PostAsJsonAsync($"sites/{site.Name}/servers/{serverId}/writes",
            new Dictionary<string, string?> { ["write"] = data, ["volume_id"] = volumeId }, Ct);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A volume's contents as the array holds them (the FlashArray simulator's admin API).</summary>
    protected async Task<List<string>> ContentsAsync(LabSite site, string arrayVolume) =>
        [.. (await Lab.FlashArray.Admin.ReadAsync(site.ArrayName, arrayVolume, Ct)).Select(w => w.Data)];

    protected async Task<IReadOnlyList<SimWrite>> WritesAsync(LabSite site, string arrayVolume) =>
        await Lab.FlashArray.Admin.ReadAsync(site.ArrayName, arrayVolume, Ct);

    private KeystoneSession Session(SiteCredentials c) => new(new KeystoneSessionOptions
    {
        AuthUrl = c.AuthUrl,
        Region = c.Region,
        Username = c.Username,
        Password = c.Password,
        UserDomainName = c.UserDomainName,
        ProjectName = c.ProjectName,
        ProjectDomainName = c.ProjectDomainName,
    }, Lab.Clock);

    private FlashArrayClient Rest(ArrayRef array) => new(new FlashArrayClientOptions
    {
        ArrayName = array.Name,
        BaseUrl = array.ManagementUrl,
        ApiToken = array.ApiToken,
        MaxAttempts = 1,
    }, Lab.Clock);

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
