using Draas.Data;
using Draas.Domain.Audit;
using Draas.Domain.Protection;
using Draas.Domain.Runs;
using Draas.Domain.Sites;
using Draas.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Draas.Tests.Data;

/// <summary>What the database itself guarantees, whoever writes to it.</summary>
[TestFixture]
public sealed class DatabaseRulesTests
{
    private TestDatabase _database = null!;

    [OneTimeSetUp]
    public async Task Migrate() => _database = await TestDatabase.CreateMigratedAsync();

    [OneTimeTearDown]
    public async Task Drop() => await _database.DisposeAsync();

    private DraasDbContext Context() => _database.Context();

    [Test]
    public async Task The_audit_log_refuses_updates_deletes_and_truncation_even_from_raw_SQL()
    {
        await using (var db = Context())
        {
            db.AuditEvents.Add(new AuditEvent { At = DateTimeOffset.UtcNow, Action = "site.create", ResourceType = "site", Outcome = "success" });
            await db.SaveChangesAsync();
        }

        foreach (var sql in new[] { "UPDATE audit_events SET outcome = 'forged'", "DELETE FROM audit_events", "TRUNCATE audit_events" })
        {
            var error = Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync(sql), sql);
            Assert.That(error!.MessageText, Does.Contain("append-only"));
        }
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM audit_events WHERE outcome = 'success'"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task The_audit_log_refuses_changes_through_the_context_too()
    {
        await using var db = Context();
        var entry = new AuditEvent { At = DateTimeOffset.UtcNow, Action = "plan.create", ResourceType = "plan", Outcome = "success" };
        db.AuditEvents.Add(entry);
        await db.SaveChangesAsync();

        entry.Outcome = "forged";
        Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Test]
    public async Task Two_workers_updating_the_same_step_cannot_both_win()
    {
        var stepId = await SeedRunWithOneStepAsync();
        await using var first = Context();
        await using var second = Context();
        var mine = await first.Steps.SingleAsync(s => s.Id == stepId);
        var theirs = await second.Steps.SingleAsync(s => s.Id == stepId);

        mine.TransitionTo(StepState.Running, DateTimeOffset.UtcNow);
        await first.SaveChangesAsync();
        theirs.TransitionTo(StepState.Running, DateTimeOffset.UtcNow);

        Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = Context();
        Assert.That((await check.Steps.SingleAsync(s => s.Id == stepId)).Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_manifest_keeps_its_json_and_a_project_is_enrolled_once_per_site()
    {
        await using var db = Context();
        var site = NewSite("site-m");
        db.Sites.Add(site);
        var protection = new TenantProtection { Name = "tenant-m", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = "proj-m", NetworkMapping = new() { ["net-a"] = "net-b" } };
        db.Protections.Add(protection);
        var plan = new Plan { ProtectionId = protection.Id, ProjectId = "proj-m", Name = "web" };
        PlanPlacement.Home(plan, protection);
        plan.Resources.Add(new PlanResource { Kind = ResourceKind.Server, ResourceId = "srv-1", PriorityGroup = 2 });
        db.Plans.Add(plan);
        db.Manifests.Add(new Manifest { PlanId = plan.Id, Sequence = 1, CapturedAt = DateTimeOffset.UtcNow, ContentHash = new string('a', 64), Content = "{\"servers\": [{\"id\": \"srv-1\"}]}" });
        await db.SaveChangesAsync();

        Assert.That(await _database.ScalarAsync<string>("SELECT content->'servers'->0->>'id' FROM manifests"), Is.EqualTo("srv-1"));
        Assert.That(await _database.ScalarAsync<string>("SELECT network_mapping->>'net-a' FROM protections WHERE name = 'tenant-m'"), Is.EqualTo("net-b"));
        Assert.That(await _database.ScalarAsync<string>("SELECT kind FROM plan_resources"), Is.EqualTo("server"));

        await using var again = Context();
        again.Protections.Add(new TenantProtection { Name = "tenant-m2", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = "proj-m" });
        var error = Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
        Assert.That(error!.InnerException, Is.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("23505"));
    }

    private static Site NewSite(string name) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        AuthUrl = "https://k/v3",
        Username = "u",
        ProjectName = "p",
        SecretCiphertext = "x",
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private async Task<Guid> SeedRunWithOneStepAsync()
    {
        await using var db = Context();
        var site = NewSite("site-" + Guid.NewGuid().ToString("N")[..8]);
        var protection = new TenantProtection { Id = Guid.NewGuid(), Name = "t", PrimarySiteId = site.Id, RecoverySiteId = site.Id, PrimaryProjectId = "p-" + site.Name };
        var run = new Run { Id = Guid.NewGuid(), Kind = RunKind.Drill, ProtectionId = protection.Id, ProjectId = protection.PrimaryProjectId, CreatedAt = DateTimeOffset.UtcNow };
        var step = new Step { Kind = "promote_volume", Target = "vol-1", Sequence = 1, Phase = 1 };
        run.Steps.Add(step);
        db.AddRange(site, protection, run);
        await db.SaveChangesAsync();
        return step.Id;
    }
}
