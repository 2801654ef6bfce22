using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.Simulators.OpenStack;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>One in-process two-site simulator per fixture, with no status-change delays, so every client
/// call goes over real HTTP and every waiter sees its answer at the first poll (no test sleeps).</summary>
public abstract class SimulatorFixture
{
    protected OpenStackSimulator Sim { get; private set; } = null!;
    protected SimSite SiteA => Sim.Site("site-a");
    protected SimSite SiteB => Sim.Site("site-b");
    CancellationTokenSource _timeout = null!;
    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Short timeouts: nothing the simulator does takes longer than one poll with no delays.</summary>
    protected static WaitOptions Wait { get; } = new() { Timeout = TimeSpan.FromSeconds(10), Interval = TimeSpan.FromMilliseconds(20), MaxInterval = TimeSpan.FromMilliseconds(50) };

    [OneTimeSetUp]
    public async Task StartSimulator() => Sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Delays = SimDelays.None });

    [OneTimeTearDown]
    public async Task StopSimulator()
    {
        if (Sim is not null) await Sim.DisposeAsync();
    }

    [SetUp]
    public void StartClock() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

    [TearDown]
    public void StopClock() => _timeout.Dispose();

    protected static KeystoneSession Session(SiteCredentials c) => new(new KeystoneSessionOptions
    {
        AuthUrl = c.AuthUrl,
        Region = c.Region,
        Username = c.Username,
        UserDomainName = c.UserDomainName,
        Password = c.Password,
        ProjectName = c.ProjectName,
        ProjectDomainName = c.ProjectDomainName,
    });

    protected static string Unique(string what) => $"{what}-{Guid.NewGuid():N}"[..24];

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}
