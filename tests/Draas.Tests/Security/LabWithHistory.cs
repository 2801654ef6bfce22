using Draas.Tests.Runs;
using Draas.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Security;

/// <summary>
/// Tenant A protected in the DR lab with real history to attack: two sites, two arrays, a protection, a
/// plan, its manifest and a finished drill with its report. Besides the admin and A's member
/// (<see cref="TenantInTheLab.Member"/>), Keystone knows a reader of A and a member of another project B.
/// </summary>
public sealed class LabWithHistory : IAsyncDisposable
{
    public const string Admin = TenantInTheLab.Admin;
    public const string MemberA = TenantInTheLab.Member;
    public const string ReaderA = "gAAAAAreader-of-project-a";
    public const string MemberB = "gAAAAAmember-of-project-b";
    public const string ProjectB = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

    public required TenantInTheLab Tenant { get; init; }
    public string SiteA => Tenant.InTheLab.SiteA;
    public string SiteB => Tenant.InTheLab.SiteB;
    public string ArrayA => Tenant.InTheLab.ArrayA!;
    public string ArrayB => Tenant.InTheLab.ArrayB!;
    public required string Drill { get; init; }
    public required int Manifest { get; init; }

    public RunningService Service => Tenant.Service;
    public string Protection => Tenant.Protection;
    public string Plan => Tenant.Plan;
    public string ProjectA => Tenant.Lab.SiteA.OpenStack.ProjectId("demo");

    public static async Task<LabWithHistory> StartAsync(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var tenant = await TenantInTheLab.StartAsync(extra: extra, configure: configure);
        try
        {
            var projectA = tenant.Lab.SiteA.OpenStack.ProjectId("demo");
            tenant.Service.Keystone.AddToken(ReaderA, "reader-a", "auditor", projectA, ["reader"]);
            tenant.Service.Keystone.AddToken(MemberB, "member-b", "mallory", ProjectB, ["member", "reader"]);
            var drill = await tenant.RunAsync("drill");
            Assert.That(drill["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(drill));
            var manifests = (await tenant.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{tenant.Plan}/manifests", Admin)).Body!["manifests"]!.AsArray();
            return new LabWithHistory
            {
                Tenant = tenant,
                Drill = drill["id"]!.GetValue<string>(),
                Manifest = manifests[0]!["sequence"]!.GetValue<int>(),
            };
        }
        catch
        {
            await tenant.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Tenant.DisposeAsync();
}
