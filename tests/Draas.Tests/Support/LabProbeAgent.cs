using Draas.Api.Probe;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Networking;
using Microsoft.AspNetCore.Builder;

namespace Draas.Tests.Support;

/// <summary>
/// The product's probe agent (<c>draas probe-agent</c>) as an operator runs it inside the sites' network, for
/// the DR lab: its probes leave from 127.0.0.1 and reach the lab's guests on their own loopback addresses,
/// where the guests' security groups let 127.0.0.1 in. Every test service (<see cref="RunningService"/>,
/// <see cref="ServiceProcess"/>) sends <see cref="Secret"/>, so a site's <c>probe_url</c> may point here.
/// </summary>
public sealed class LabProbeAgent : IAsyncDisposable
{
    public const string Secret = "lab-probe-secret-7f3a";

    private readonly WebApplication _app;

    private LabProbeAgent(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>What a site's <c>probe_url</c> is set to.</summary>
    public string Url { get; }

    public static async Task<LabProbeAgent> StartAsync()
    {
        var app = ProbeAgent.Build(new ProbeAgentOptions
        {
            ListenPort = 0,
            Secret = Secret,
            SourceAddress = System.Net.IPAddress.Loopback,
            Timeout = TimeSpan.FromSeconds(3),
        });
        await app.StartAsync();
        return new LabProbeAgent(app, app.Urls.First());
    }

    /// <summary>Lets the monitoring network (the agent, from 127.0.0.0/8) reach TCP <paramref name="ports"/> of every
    /// server in the session's project's <c>default</c> security group, as a tenant opens its health-checked ports.</summary>
    public static async Task AllowInDefaultGroupAsync(KeystoneSession tenant, params int[] ports)
    {
        var group = await tenant.Networking.ListSecurityGroupsAsync(new NeutronFilter { Name = "default" }, CancellationToken.None).FirstAsync();
        foreach (var port in ports)
        {
            await tenant.Networking.CreateSecurityGroupRuleAsync(new CreateSecurityGroupRuleOptions
            {
                SecurityGroupId = group.Id,
                Direction = "ingress",
                Protocol = "tcp",
                PortRangeMin = port,
                PortRangeMax = port,
                RemoteIpPrefix = "127.0.0.0/8",
                Description = "the probe agent's health checks",
            }, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
