using System.Text.RegularExpressions;
using Draas.Tests.Runs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Draas.Tests.WebConsole;

/// <summary>
/// The web console in a real browser (Debian's chromium driven by Playwright) over the DR lab: a cloud
/// admin logs in, reads the estate, opens the tenant's plan, asks for a dry run, starts a drill and
/// watches it to the end, reads the report and logs out; a member of another project sees nothing of the
/// tenant; a reader of the tenant sees no buttons, and the API refuses the drill when it is forced.
/// Screenshots of each page go to .tox/console/.
/// </summary>
[TestFixture, Category("Browser"), NonParallelizable]
public sealed class ConsoleInTheBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string AdminToken = "gAAAAAconsole-admin";
    private const string ReaderToken = "gAAAAAconsole-reader";
    private const string OutsiderToken = "gAAAAAconsole-outsider";
    private TenantInTheLab _tenant = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _shots = null!;
    private string? _drillRun;

    private string BaseUrl => _tenant.Service.BaseAddress.ToString().TrimEnd('/');

    [OneTimeSetUp]
    public async Task StartLabAndBrowser()
    {
        if (!File.Exists(Chromium)) Assert.Fail($"{Chromium} is missing: ./tox -e test installs Debian's chromium (apt-get install chromium)");
        _tenant = await TenantInTheLab.StartAsync();
        var keystone = _tenant.Service.Keystone;
        var demoProject = _tenant.Lab.SiteA.OpenStack.ProjectId("demo");
        keystone.AcceptLogin("cloud-admin", "admin-console-pw", AdminToken, "u-cloud-admin", Support.KeystoneStandIn.AdminProject, ["admin", "member", "reader"]);
        keystone.AcceptLogin("carol", "carol-reads-only", ReaderToken, "u-carol", demoProject, ["reader"]);
        keystone.AcceptLogin("mallory", "mallory-pw", OutsiderToken, "u-mallory", "7f3e0b6c2a9d4e1f8a7b6c5d4e3f2a1b", ["member", "reader"]);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DraasService.sln"))) dir = dir.Parent;
        _shots = Path.Combine(dir!.FullName, ".tox", "console");
        Directory.CreateDirectory(_shots);
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_tenant is not null) await _tenant.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task AnAdminLogsInReadsTheEstateDrillsThePlanAndReadsTheReport()
    {
        await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();

        // Without a session every console page leads to the login form, which comes back to the page asked for.
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/console/login\\?next="));
        await LogInAsync(page, "cloud-admin", "wrong-password", "admin");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("Keystone refused");
        await LogInAsync(page, "cloud-admin", "admin-console-pw", "admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Estate" })).ToBeVisibleAsync();

        // The session is a cookie no script can read and no other site can make the browser send.
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "draas_console");
        Assert.Multiple(() =>
        {
            Assert.That(cookie.HttpOnly, Is.True);
            Assert.That(cookie.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
            Assert.That(cookie.Path, Is.EqualTo("/console"));
            Assert.That(cookie.Value, Does.Not.Contain(AdminToken), "the token is encrypted in the cookie");
        });
        Assert.That(await page.EvaluateAsync<string>("document.cookie"), Does.Not.Contain("draas_console"));

        // The estate: the tenant's plan within its RPO target, the sites and arrays, the counts.
        var row = page.Locator("[data-testid=plans] tbody tr[data-plan='shop-all']");
        await Expect(row).ToContainTextAsync("shop");
        await Expect(row).ToContainTextAsync("within target");
        await Expect(row).ToContainTextAsync("never");
        await Expect(page.GetByTestId("count-protected")).ToContainTextAsync("1");
        await Expect(page.GetByTestId("count-overdue")).ToContainTextAsync("1");
        await Expect(page.GetByTestId("sites")).ToContainTextAsync("site-a");
        await Expect(page.GetByTestId("arrays")).ToContainTextAsync("array-b");
        await AssertLabelledAsync(page);
        await ShotAsync(page, "estate");

        // The filters narrow the table from the query string.
        await page.SelectOptionAsync("#f-tier", "critical");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByTestId("no-plans")).ToContainTextAsync("with these filters");
        await page.SelectOptionAsync("#f-tier", "");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        // The plan: members from the manifest, groups, and a dry run's step graph.
        await page.GetByRole(AriaRole.Link, new() { Name = "shop-all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plan shop-all" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("web-root");
        await Expect(page.GetByTestId("predicted-rto")).ToContainTextAsync("after the first successful drill");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run (show the steps)" }).ClickAsync();
        var dry = page.GetByTestId("dry-run");
        await Expect(dry).ToContainTextAsync("nothing stored");
        Assert.That(await dry.Locator("li").CountAsync(), Is.GreaterThan(5), "a drill of three servers and five volumes has many steps");
        var runsAfterDryRun = await RunCountAsync();
        Assert.That(runsAfterDryRun, Is.Zero, "a dry run stores no run");
        await ShotAsync(page, "plan");

        // A POST without the antiforgery token is refused before it reaches the API.
        var planUrl = page.Url.Split('?')[0];
        var forged = await context.APIRequest.PostAsync(planUrl + "?handler=Drill");
        Assert.That(forged.Status, Is.EqualTo(400), "no antiforgery token, no drill");
        Assert.That(await RunCountAsync(), Is.Zero);

        // The drill, watched on the run page until it ends (the page refreshes itself).
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a drill" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/runs/[0-9a-f-]{36}$"));
        _drillRun = page.Url.Split('/')[^1];
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("#1");
        await ShotAsync(page, "run-going");
        await Expect(page.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("run-progress")).ToHaveTextAsync(new Regex(@"^(\d+) of \1 steps done$"));
        var report = page.GetByTestId("report");
        await Expect(report.Locator("h1")).ToContainTextAsync("DR drill report");
        await Expect(report.Locator("table").First).ToBeVisibleAsync();
        await ShotAsync(page, "run");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-download").ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo($"run-{_drillRun}.md"));
        Assert.That(await File.ReadAllTextAsync((await download.PathAsync())!), Does.StartWith("# DR drill report"));

        // Back on the plan, the drill is in the history with its RTO.
        await page.GotoAsync(planUrl);
        await Expect(page.GetByTestId("drills")).ToContainTextAsync("succeeded");
        await Expect(page.GetByTestId("predicted-rto")).ToContainTextAsync("from the last 1 drills' step durations at today's 5 volumes and 3 servers");
        await ShotAsync(page, "plan-after-drill");

        // On a phone the estate still reads (no horizontal scroll of the page itself).
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/console");
        Assert.That(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), Is.True, "the page fits a phone's width");
        await ShotAsync(page, "estate-phone");

        // Logging out revokes the token at Keystone and ends the session.
        await page.SetViewportSizeAsync(1280, 800);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByTestId("logged-out")).ToContainTextAsync("revoked at Keystone");
        Assert.That(_tenant.Service.Keystone.RevocationCount(AdminToken), Is.EqualTo(1));
        Assert.That((await context.CookiesAsync()).Any(c => c.Name == "draas_console"), Is.False);
        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/console/login"));
    }

    [Test, Order(2)]
    public async Task AMemberOfAnotherProjectSeesNothingOfTheTenant()
    {
        await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/login");
        await LogInAsync(page, "mallory", "mallory-pw", "other");
        await Expect(page.GetByTestId("no-plans")).ToContainTextAsync("in the projects you may see");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("shop");
        await Expect(page.GetByTestId("sites")).ToHaveCountAsync(0);
        await ShotAsync(page, "tenant-estate");

        // Another tenant's plan by URL: the API says it does not exist, and so does the console.
        var response = await page.GotoAsync($"/console/plans/{_tenant.Plan}");
        Assert.That(response!.Status, Is.EqualTo(404));
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("Not found");
        await ShotAsync(page, "tenant-404");
        if (_drillRun is not null)
        {
            var run = await page.GotoAsync($"/console/runs/{_drillRun}");
            Assert.That(run!.Status, Is.EqualTo(404));
        }
    }

    [Test, Order(3)]
    public async Task AReaderSeesNoActionsAndTheApiRefusesAForcedDrill()
    {
        await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/console/plans/{_tenant.Plan}");
        await LogInAsync(page, "carol", "carol-reads-only", "demo");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plan shop-all" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("read-only")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start a drill" })).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("actions")).ToHaveCountAsync(0);
        await ShotAsync(page, "reader-plan");

        // Forced: a well-formed POST with the reader's own antiforgery token. The API decides, and refuses.
        var runsBefore = await RunCountAsync();
        var forced = await page.EvaluateAsync<string[]>(@"async () => {
            const token = document.querySelector('input[name=__csrf]').value;
            const r = await fetch(location.pathname + '?handler=Drill', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '__csrf=' + encodeURIComponent(token) });
            return [String(r.status), await r.text()];
        }");
        Assert.That(forced[0], Is.EqualTo("403"), forced[1]);
        Assert.That(forced[1], Does.Contain("draas:run:create:drill"), "the API's own refusal is shown");
        var (status, _, _) = await _tenant.Service.SendAsync(HttpMethod.Post, "/v1/runs", ReaderToken, new { run = new { plan_id = _tenant.Plan, kind = "drill" } });
        Assert.That(status, Is.EqualTo(403), "the API refuses the reader's drill");
        Assert.That(await RunCountAsync(), Is.EqualTo(runsBefore), "no run was started");
    }

    [Test, Order(4)]
    public async Task ADrillWaitingForApprovalIsApprovedFromItsRunPageAndAReaderIsNotOfferedTheButton()
    {
        // The plan pauses its recoveries after the web tier boots, for a person to look before the database comes up.
        var (put, putBody, _) = await _tenant.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_tenant.Plan}", TenantInTheLab.Admin, new
        {
            plan = new { hooks = new object[] { new { when = "after", priority_group = 1, type = "approval", message = "Check the web tier before the database comes up" } } },
        });
        Assert.That(put, Is.EqualTo(200), putBody?.ToJsonString());
        try
        {
            var (created, run, _) = await _tenant.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _tenant.Plan, kind = "drill" } });
            Assert.That(created, Is.EqualTo(202), run?.ToJsonString());
            var id = run!["run"]!["id"]!.GetValue<string>();
            await Support.Eventually.WaitForAsync(async () =>
                (await _tenant.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{id}", TenantInTheLab.Admin)).Body!["run"]!["state"]!.GetValue<string>() == "awaiting_approval" ? "" : null,
                "the drill to wait for approval", TimeSpan.FromSeconds(180));

            // The reader sees where the run stands, and no button that the API would refuse anyway.
            await using (var readerContext = await _browser.NewContextAsync(new() { BaseURL = BaseUrl }))
            {
                var readerPage = await readerContext.NewPageAsync();
                await readerPage.GotoAsync($"/console/runs/{id}");
                await LogInAsync(readerPage, "carol", "carol-reads-only", "demo");
                await Expect(readerPage.GetByTestId("run-state")).ToHaveTextAsync("awaiting_approval");
                await Expect(readerPage.GetByTestId("approve")).ToHaveCountAsync(0);
            }

            await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/console/runs/{id}");
            await LogInAsync(page, "cloud-admin", "admin-console-pw", "admin");
            await Expect(page.GetByTestId("run-state")).ToHaveTextAsync("awaiting_approval");
            await ShotAsync(page, "run-awaiting-approval");
            await page.GetByTestId("approve").ClickAsync();
            await Expect(page.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = 180_000 });
            await Expect(page.GetByTestId("approve")).ToHaveCountAsync(0);
            await ShotAsync(page, "run-approved");

            // The approval is the admin's, on the record.
            var (_, events, _) = await _tenant.Service.SendAsync(HttpMethod.Get, $"/v1/events?action=run.approved&resource_id={id}", TenantInTheLab.Admin);
            Assert.That(events!["events"]!.AsArray().Select(e => e!["user_name"]?.GetValue<string>()), Is.EqualTo(new[] { "cloud-admin" }));
        }
        finally
        {
            await _tenant.Service.SendAsync(HttpMethod.Put, $"/v1/plans/{_tenant.Plan}", TenantInTheLab.Admin, new { plan = new { hooks = Array.Empty<object>() } });
        }
    }

    [Test, Order(6)]
    public async Task AFailoverAwaitingCommitIsRolledBackFromItsRunPageAndAReaderIsOfferedNeither()
    {
        var (created, run, _) = await _tenant.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin,
            new { run = new { plan_id = _tenant.Plan, kind = "failover", options = new { commit = "manual" } } });
        Assert.That(created, Is.EqualTo(202), run?.ToJsonString());
        var id = run!["run"]!["id"]!.GetValue<string>();

        // The admin watches the failover from its start: when it comes to wait for the decision, the page offers both.
        await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/console/runs/{id}");
        await LogInAsync(page, "cloud-admin", "admin-console-pw", "admin");
        await Expect(page.GetByTestId("commit")).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("rollback")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("run-state")).ToHaveTextAsync("awaiting_commit");
        await ShotAsync(page, "run-awaiting-commit");

        await using (var readerContext = await _browser.NewContextAsync(new() { BaseURL = BaseUrl }))
        {
            var readerPage = await readerContext.NewPageAsync();
            await readerPage.GotoAsync($"/console/runs/{id}");
            await LogInAsync(readerPage, "carol", "carol-reads-only", "demo");
            await Expect(readerPage.GetByTestId("run-state")).ToHaveTextAsync("awaiting_commit");
            await Expect(readerPage.GetByTestId("commit")).ToHaveCountAsync(0);
            await Expect(readerPage.GetByTestId("rollback")).ToHaveCountAsync(0);
        }

        await page.GetByTestId("rollback").ClickAsync();
        await Expect(page.GetByTestId("run-state")).ToHaveTextAsync("rolled_back", new() { Timeout = 180_000 });
        await Expect(page.GetByTestId("commit")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("report")).ToContainTextAsync("rollback decided by cloud-admin");
        await ShotAsync(page, "run-rolled-back");
        var (_, events, _) = await _tenant.Service.SendAsync(HttpMethod.Get, $"/v1/events?action=run.rollback&resource_id={id}", TenantInTheLab.Admin);
        Assert.That(events!["events"]!.AsArray().Select(e => e!["user_name"]?.GetValue<string>()), Is.EqualTo(new[] { "cloud-admin" }), "the rollback is the admin's, on the record");
    }

    [Test, Order(5)]
    public async Task ThePlanPageDrawsTheRecordedLagAgainstTheRpoTarget()
    {
        // Three readings the monitor would have recorded hours ago (before this fixture's lab started): 1, 5 and 20 minutes behind.
        var now = _tenant.Lab.Clock.GetUtcNow();
        var plan = Guid.Parse(_tenant.Plan);
        var group = await _tenant.Service.Database.ScalarAsync<Guid>("SELECT id FROM replication_groups WHERE plan_id = $1 ORDER BY name LIMIT 1", plan);
        foreach (var (hoursAgo, lag) in new[] { (22, 60.0), (20, 300.0), (18, 1200.0) })
            await _tenant.Service.Database.ScalarAsync<long>("INSERT INTO lag_samples (group_id, plan_id, at, lag_seconds) VALUES ($1, $2, $3, $4) RETURNING id",
                group, plan, now.AddHours(-hoursAgo), lag);

        await using var context = await _browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/console/plans/{_tenant.Plan}");
        await LogInAsync(page, "cloud-admin", "admin-console-pw", "admin");
        var chart = page.Locator("svg.chart[aria-label^='Replication lag']");
        await Expect(chart).ToBeVisibleAsync();
        var dots = await chart.Locator("circle > title").AllTextContentsAsync();
        var values = dots.Select(d => d[(d.IndexOf(": ", StringComparison.Ordinal) + 2)..]).ToList();
        Assert.That(values, Does.Contain("1 min").And.Contain("5 min").And.Contain("20 min"), string.Join(" | ", dots));
        Assert.That(values.IndexOf("1 min"), Is.LessThan(values.IndexOf("5 min")).And.LessThan(values.IndexOf("20 min")), "oldest first");
        await Expect(chart).ToContainTextAsync("RPO target 15 min");
        // The 20-minute reading is drawn above the target line: its dot sits higher (smaller y) than the line.
        var targetY = double.Parse(await chart.Locator("line.reference").GetAttributeAsync("y1") ?? "nan", System.Globalization.CultureInfo.InvariantCulture);
        var worstY = double.Parse(await chart.Locator("circle", new() { Has = page.Locator("title", new() { HasTextString = ": 20 min" }) }).GetAttributeAsync("cy") ?? "nan",
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(worstY, Is.LessThan(targetY));
        // Drawn to scale: readings 18 to 22 hours old sit in the first quarter of a 24-hour axis, two hours apart
        // each, not spread over the whole width as if they were the whole day.
        async Task<double> X(string value) => double.Parse(await chart.Locator("circle", new() { Has = page.Locator("title", new() { HasTextString = ": " + value }) }).GetAttributeAsync("cx") ?? "nan",
            System.Globalization.CultureInfo.InvariantCulture);
        var (x1, x5, x20) = (await X("1 min"), await X("5 min"), await X("20 min"));
        var axisStart = double.Parse(await chart.Locator("line.axis").Nth(1).GetAttributeAsync("x1") ?? "nan", System.Globalization.CultureInfo.InvariantCulture);
        var axisEnd = double.Parse(await chart.Locator("line.axis").First.GetAttributeAsync("x2") ?? "nan", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That((x20 - axisStart) / (axisEnd - axisStart), Is.EqualTo(0.25).Within(0.03), "18 hours ago on a 24-hour axis");
        Assert.That(x5 - x1, Is.EqualTo(x20 - x5).Within(1.0), "equal times apart, equal distances apart");
        await ShotAsync(page, "plan-lag-chart");
    }

    private static async Task LogInAsync(IPage page, string user, string password, string project)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Project").FillAsync(project);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    /// <summary>Every visible form field has a label a screen reader announces.</summary>
    private static async Task AssertLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "Array.from(document.querySelectorAll('input:not([type=hidden]), select')).filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)");
        Assert.That(unlabelled, Is.Empty);
    }

    private async Task<int> RunCountAsync()
    {
        var (_, body, _) = await _tenant.Service.SendAsync(HttpMethod.Get, $"/v1/runs?plan_id={_tenant.Plan}", TenantInTheLab.Admin);
        return body!["runs"]!.AsArray().Count;
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(_shots, name + ".png"), FullPage = true });
}
