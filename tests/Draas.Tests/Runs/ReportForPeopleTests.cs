using System.Text.Json.Nodes;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Draas.Domain.Time;
using Draas.Workflows.Protection;
using Draas.Workflows.Runs;

namespace Draas.Tests.Runs;

/// <summary>
/// The report an auditor reads after a failover, built from the steps as the engine leaves them: what
/// it names, how it states times and durations, and what it says when the array's clock and the
/// service's disagree (instead of an RPO of 0).
/// </summary>
[TestFixture]
public sealed class ReportForPeopleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 13, 0, 0, TimeSpan.Zero);

    private static Step Step(int sequence, string kind, string target, object input, object? output, double startedAfter, double took, StepState state = StepState.Succeeded) => new()
    {
        Id = Guid.NewGuid(),
        Sequence = sequence,
        Phase = sequence,
        Kind = kind,
        Target = target,
        Input = JsonSerializer(input),
        Output = output is null ? null : JsonSerializer(output),
        State = state,
        Attempts = 1,
        StartedAt = Start.AddSeconds(startedAfter),
        FinishedAt = Start.AddSeconds(startedAfter + took),
    };

    private static string JsonSerializer(object o) => System.Text.Json.JsonSerializer.Serialize(o);

    private static Run Failover() => new()
    {
        Id = Guid.NewGuid(),
        Kind = RunKind.Failover,
        State = RunState.Succeeded,
        ProjectId = "p-1",
        ProtectionId = Guid.NewGuid(),
        PlanId = Guid.NewGuid(),
        StartedAt = Start,
        FinishedAt = Start.AddSeconds(250),
    };

    /// <summary>A failover of one server with one data volume whose recovery point the array dated <paramref name="pointAfterStart"/> s after the run began.</summary>
    private static List<Step> Steps(double pointAfterStart) =>
    [
        Step(1, RunPlanner.PromoteVolume, "vol-1", new { name = "web-data", source_array = "array-a" },
            new { recovery_point = new { id = "pg.42", time = Start.AddSeconds(pointAfterStart) } }, 1, 2.14),
        Step(2, RunPlanner.ImportVolume, "vol-1", new { name = "web-data" }, new { name = "web-data", volume_id = "vol-9" }, 4, 3),
        Step(3, RunPlanner.BootServer, "srv-1", new { name = "web" }, new { name = "web", server_id = "srv-9" }, 8, 20),
        Step(4, RunPlanner.HealthCheck, "srv-1", new { name = "web", type = "http", port = 80, path = "/" },
            new { address = "10.10.0.11", type = "http", port = 80, attempts = 2, healthy = true }, 30, 1),
    ];

    [Test]
    public void The_report_names_what_it_recovered_and_says_times_and_durations_as_people_do()
    {
        var report = RunReports.Build(Failover(), Steps(pointAfterStart: -240), "shop-all", "shop");
        var markdown = RunReports.Markdown(report);

        Assert.That(report["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "web-data", "web-data", "web", "web http:80/" }));
        Assert.That(report["rpo_seconds"]!.GetValue<double>(), Is.EqualTo(240));
        Assert.That(report["warnings"]!.AsArray(), Is.Empty, "the clocks agree");
        Assert.That(markdown, Does.Contain("| RTO | 31 s |").And.Contain("| RPO | 4 min |").And.Contain("| took | 4 min 10 s |"));
        Assert.That(markdown, Does.Contain("| started | 2026-12-04 13:00:00Z |"));
        Assert.That(markdown, Does.Contain("| 1 | 1 | promote_volume | web-data | succeeded | 1 | 2.1 s | – |"));
        Assert.That(markdown, Does.Contain("## Health checks").And.Contain("| web | http:80/ | 10.10.0.11 | succeeded | 2 | – |"));
        Assert.That(markdown, Does.Not.Contain("## Warnings"));
    }

    [Test]
    public void A_recovery_point_dated_after_the_service_saw_it_is_clock_skew_and_the_RPO_is_unknown_not_0()
    {
        // The promote ended 3.14 s after the run began; the array says its point is from 15 minutes later.
        var report = RunReports.Build(Failover(), Steps(pointAfterStart: 900), "shop-all", "shop");
        var markdown = RunReports.Markdown(report);

        Assert.That(report["rpo_seconds"], Is.Null);
        var warning = report["warnings"]!.AsArray().Single()!.GetValue<string>();
        Assert.That(warning, Does.StartWith("clock skew: array-a's recovery point of 2026-12-04 13:15:00Z is 896.9 s ahead of this service's clock"));
        Assert.That(markdown, Does.Contain("| RPO | unknown (clock skew, see warnings) |").And.Contain("## Warnings").And.Contain(warning));
    }

    [Test]
    public void A_point_taken_after_the_run_began_but_before_the_service_saw_it_is_no_skew_and_loses_nothing()
    {
        // A planned migration's last replication: taken 2 s into the run, seen when the promote ended at 3.14 s.
        var report = RunReports.Build(Failover(), Steps(pointAfterStart: 2), "shop-all", "shop");

        Assert.That(report["warnings"]!.AsArray(), Is.Empty);
        Assert.That(report["rpo_seconds"]!.GetValue<double>(), Is.EqualTo(0));
    }

    [Test]
    public void A_plans_status_warns_of_an_array_point_from_its_future_and_of_a_site_whose_clock_is_off()
    {
        var arrayA = Guid.NewGuid();
        var seen = Start;
        var groups = new[]
        {
            new ReplicationGroup { Name = "draas-shop", PlanId = Guid.NewGuid(), SourceArrayId = arrayA, TargetArrayId = Guid.NewGuid(), Members = [], LatestRecoveryPointAt = seen.AddSeconds(884.5), CheckedAt = seen },
        };
        var sites = new[]
        {
            new Site { Name = "site-a", AuthUrl = "http://a", SecretCiphertext = "x", LastCheck = new SiteCheck(seen, true, "authenticated", 12, ClockSkewSeconds: -42.5) },
            new Site { Name = "site-b", AuthUrl = "http://b", SecretCiphertext = "x", LastCheck = new SiteCheck(seen, true, "authenticated", 12, ClockSkewSeconds: 0.4) },
        };

        var warnings = PlanWarnings.For(groups, new Dictionary<Guid, string> { [arrayA] = "array-a" }, sites);

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "clock skew: array-a's recovery point of 2026-12-04 13:14:44Z is 884.5 s ahead of this service's clock; lag and RPO are unknown until the clocks agree (check NTP on the array and on the service's host)",
            "clock skew: site-a's Keystone clock is 42.5 s behind this service's; times reported by that site's services are off by as much (check NTP)",
        }));
    }

    [Test]
    public void Durations_and_times_read_the_same_everywhere()
    {
        Assert.That(new[] { 0, 0.44, 2.14, 42, 60, 250, 3600, 7500 }.Select(s => Readable.Duration(s)),
            Is.EqualTo(new[] { "0 s", "0.4 s", "2.1 s", "42 s", "1 min", "4 min 10 s", "1 h", "2 h 05 min" }));
        Assert.That(Readable.Time("2026-12-04T13:22:33.123456+00:00"), Is.EqualTo("2026-12-04 13:22:33Z"));
        Assert.That(Readable.Time("web-data"), Is.EqualTo("web-data"));
    }
}
