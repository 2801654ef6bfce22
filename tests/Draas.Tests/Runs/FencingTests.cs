namespace Draas.Tests.Runs;

/// <summary>
/// No split brain, the other half: a failover whose primary site is gone cannot fence it, goes on anyway
/// (the disaster is why it runs), and its report says the primary was not fenced and why, so the operator
/// stops the old servers before that site comes back. (A failover whose primary still answers stops its
/// servers: <see cref="RunsThatGoWrongTests"/>.)
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FencingTests
{
    private static CancellationToken Ct => CancellationToken.None;

    private TenantInTheLab _t = null!;

    [OneTimeSetUp]
    public async Task Start() => _t = await TenantInTheLab.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _t.DisposeAsync();

    [Test]
    public async Task A_failover_with_the_primary_site_down_goes_on_and_its_report_says_the_primary_could_not_be_fenced()
    {
        var siteA = _t.Lab.SiteA.OpenStack;
        siteA.Faults.Down = true;
        await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", true, Ct);
        try
        {
            var run = await _t.RunAsync("failover", timeoutSeconds: 240);

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
            var report = await _t.ReportAsync(run["id"]!.GetValue<string>());
            var fencing = report["fencing"]!;
            Assert.That(fencing["fenced"]!.GetValue<bool>(), Is.False, fencing.ToJsonString());
            Assert.That(fencing["primary_answered"]!.GetValue<bool>(), Is.False);
            Assert.That(fencing["reason"]!.GetValue<string>(), Does.Contain("did not answer").And.Contain("stop them"));
            Assert.That(report["recovered"]!["servers"]!.AsArray(), Has.Count.EqualTo(3), "the failover went on without the primary");
        }
        finally
        {
            siteA.Faults.Down = false;
            await _t.Lab.FlashArray.Admin.SetArrayDownAsync("array-a", false, Ct);
        }
        Assert.That(_t.Servers.Values.Select(siteA.ServerStatus), Is.All.EqualTo("ACTIVE"),
            "nothing reached the primary: its servers still run, as the report warns");
    }
}
