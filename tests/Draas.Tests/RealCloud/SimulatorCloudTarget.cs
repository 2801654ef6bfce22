using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.RealCloud;

/// <summary>The two-site OpenStack simulator in process, on the system clock with its default delays, so
/// the same waiters as against the real services do the waiting.</summary>
public sealed class SimulatorCloudTarget : CloudTarget
{
    OpenStackSimulator? _sim;

    public override WaitOptions Wait { get; } = new() { Timeout = TimeSpan.FromSeconds(60), Interval = TimeSpan.FromMilliseconds(250), MaxInterval = TimeSpan.FromSeconds(1) };

    public override async Task StartAsync(CancellationToken ct)
    {
        _sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions());
        Site1 = Describe(_sim.Site("site-a"));
        Site2 = Describe(_sim.Site("site-b"));
    }

    static CloudSite Describe(SimSite site) => new()
    {
        Name = site.Name,
        AdminOptions = () => Options(site.Admin),
        MemberOptions = () => Options(site.Demo),
        HasCompute = true,
        BackendHost = $"{site.Name}@pure#pure",
        PlaceBackendVolume = (name, sizeGiB) =>
        {
            site.Array.Seed(name, (long)sizeGiB << 30, connected: false);
            return Task.CompletedTask;
        },
    };

    static KeystoneSessionOptions Options(SiteCredentials c) => new()
    {
        AuthUrl = c.AuthUrl,
        Region = c.Region,
        Username = c.Username,
        UserDomainName = c.UserDomainName,
        Password = c.Password,
        ProjectName = c.ProjectName,
        ProjectDomainName = c.ProjectDomainName,
    };

    public override async ValueTask DisposeAsync()
    {
        if (_sim is not null) await _sim.DisposeAsync();
    }
}
