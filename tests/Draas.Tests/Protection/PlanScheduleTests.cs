using Draas.Tests.Support;
using Draas.Workflows.Protection;

namespace Draas.Tests.Protection;

[TestFixture]
public sealed class PlanScheduleTests
{
    [Test]
    public void A_thousand_plans_with_a_five_minute_interval_spread_over_every_minute_of_the_interval()
    {
        var crons = Enumerable.Range(0, 1000).Select(_ => PlanSchedule.CronFor(Guid.NewGuid(), 300)).ToList();

        Assert.That(crons.All(c => c.EndsWith("-59/5 * * * *", StringComparison.Ordinal)), Is.True, crons[0]);
        var perOffset = crons.GroupBy(c => c.Split('-')[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(perOffset.Keys, Is.EquivalentTo(new[] { "0", "1", "2", "3", "4" }));
        Assert.That(perOffset.Values.Max(), Is.LessThan(300), "no minute carries much more than its share of 200");
    }

    [TestCase(60, "* * * * *")]
    [TestCase(7 * 60, "-59/6 * * * *")]
    [TestCase(3600, " * * * *")]
    [TestCase(4 * 3600, "-23/4 * * *")]
    [TestCase(86_400, " * * *")] // the API's longest interval: once a day (a step of 24 hours is no cron)
    [TestCase(12 * 3600, "-23/12 * * *")]
    public void The_interval_becomes_an_even_cron_step_that_is_the_same_for_the_same_plan(int seconds, string shape)
    {
        var plan = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");

        var cron = PlanSchedule.CronFor(plan, seconds);

        Assert.That(cron, Does.EndWith(shape));
        Assert.That(PlanSchedule.CronFor(plan, seconds), Is.EqualTo(cron));
        Assert.That(Cronos.CronExpression.Parse(cron).GetNextOccurrence(DateTime.UtcNow), Is.Not.Null);
    }

    [Test]
    public async Task Creating_a_plan_schedules_its_protection_cycle_and_deleting_it_removes_the_schedule()
    {
        var t = await TenantFixture.StartAsync();
        await using var _ = t;
        var protection = (await t.CreateAsync("/v1/protections", TenantFixture.Admin, t.Enrolment("tenant-s", t.ProjectA)))["protection"]!["id"]!.GetValue<string>();
        var plan = (await t.CreateAsync("/v1/plans", TenantFixture.MemberA, TenantFixture.PlanBody(protection, "scheduled", await t.WorkloadAsync())))["plan"]!["id"]!.GetValue<string>();
        var jobId = PlanSchedule.JobId(Guid.Parse(plan));

        var scheduled = await t.Service.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = $1", jobId);
        await t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{plan}", TenantFixture.MemberA);
        var afterDelete = await t.Service.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = $1", jobId);

        Assert.That(scheduled, Is.EqualTo(1));
        Assert.That(afterDelete, Is.EqualTo(0));
    }
}
