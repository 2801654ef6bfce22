using Draas.Data;
using Draas.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Draas.Tests.Data;

/// <summary>
/// An installation upgraded from the days when a protection held one state for all its plans: each plan
/// takes its protection's state (where it runs, failed over or not), and the protection only rolls them up.
/// </summary>
[TestFixture]
public sealed class PlanStateMigrationTests
{
    private static DraasDbContext Context(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<DraasDbContext>();
        options.UseDraasPostgres(database.ConnectionString);
        return new DraasDbContext(options.Options);
    }

    [Test]
    public async Task Upgrading_copies_each_protections_failed_over_and_reversed_state_onto_its_plans()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = Context(database))
            await db.GetService<IMigrator>().MigrateAsync("20261122224001_Runs");
        await database.ExecuteAsync("""
            INSERT INTO sites (id, name, auth_url, interface, auth_type, user_domain_name, project_domain_name, secret_ciphertext, verify_tls, created_at, updated_at) VALUES
              ('00000000-0000-0000-0000-00000000000a', 'site-a', 'http://a', 'public', 'password', 'Default', 'Default', 'x', true, now(), now()),
              ('00000000-0000-0000-0000-00000000000b', 'site-b', 'http://b', 'public', 'password', 'Default', 'Default', 'x', true, now(), now());
            INSERT INTO protections (id, name, primary_site_id, primary_project_id, recovery_site_id, recovery_project_id, rpo_target_seconds, network_mapping, contacts, status, reversed, created_at, updated_at) VALUES
              ('00000000-0000-0000-0000-000000000001', 'at-home', '00000000-0000-0000-0000-00000000000a', 'pa1', '00000000-0000-0000-0000-00000000000b', 'rb1', 900, '{}', '{}', 'active', false, now(), now()),
              ('00000000-0000-0000-0000-000000000002', 'failed', '00000000-0000-0000-0000-00000000000a', 'pa2', '00000000-0000-0000-0000-00000000000b', 'rb2', 900, '{}', '{}', 'failed_over', false, now(), now()),
              ('00000000-0000-0000-0000-000000000003', 'reprotected', '00000000-0000-0000-0000-00000000000a', 'pa3', '00000000-0000-0000-0000-00000000000b', 'rb3', 900, '{}', '{}', 'active', true, now(), now());
            INSERT INTO plans (id, protection_id, project_id, name, replication_mode, replication_interval_seconds, retention_count, status, created_at, updated_at) VALUES
              ('00000000-0000-0000-0000-000000000011', '00000000-0000-0000-0000-000000000001', 'pa1', 'p1', 'async', 300, 24, 'protected', now(), now()),
              ('00000000-0000-0000-0000-000000000021', '00000000-0000-0000-0000-000000000002', 'pa2', 'p2', 'async', 300, 24, 'protected', now(), now()),
              ('00000000-0000-0000-0000-000000000022', '00000000-0000-0000-0000-000000000002', 'pa2', 'p2b', 'async', 300, 24, 'protected', now(), now()),
              ('00000000-0000-0000-0000-000000000031', '00000000-0000-0000-0000-000000000003', 'pa3', 'p3', 'async', 300, 24, 'protected', now(), now());
            """);

        await using (var db = Context(database))
        {
            await db.Database.MigrateAsync();
            var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Name).ToListAsync();
            string Where(string name)
            {
                var p = plans.Single(x => x.Name == name);
                return $"{(p.RunsAtSiteId.ToString().EndsWith('a') ? "site-a" : "site-b")}/{p.RunsInProjectId}/{(p.FailedOver ? "failed over" : "replicating")}";
            }
            Assert.That(Where("p1"), Is.EqualTo("site-a/pa1/replicating"));
            Assert.That(Where("p2"), Is.EqualTo("site-b/rb2/failed over"));
            Assert.That(Where("p2b"), Is.EqualTo("site-b/rb2/failed over"), "every plan of a failed-over protection was failed over with it");
            Assert.That(Where("p3"), Is.EqualTo("site-b/rb3/replicating"), "a reprotected protection's plan runs at the recovery site and replicates back");
            var statuses = await db.Protections.AsNoTracking().OrderBy(p => p.Name).Select(p => p.Status.ToString()).ToListAsync();
            Assert.That(statuses, Is.All.EqualTo("Active"), "the protection's own status no longer says failed over: its plans do");
        }
    }
}
