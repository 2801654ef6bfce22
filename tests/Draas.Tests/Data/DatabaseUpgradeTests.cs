using Draas.Tests.Support;

namespace Draas.Tests.Data;

[TestFixture]
// It sets DRAAS__DATABASE__CONNECTION for the process, which every service started meanwhile would read.
[NonParallelizable]
public sealed class DatabaseUpgradeTests
{
    [Test]
    public async Task Draas_db_upgrade_creates_the_schema_once_and_is_harmless_the_second_time()
    {
        await using var database = await TestDatabase.CreateAsync();
        Environment.SetEnvironmentVariable("DRAAS__DATABASE__CONNECTION", database.ConnectionString);
        try
        {
            var output = new StringWriter();
            var original = Console.Out;
            Console.SetOut(output);
            int first, second;
            try
            {
                first = await Draas.Api.Program.Main(["db", "upgrade"]);
                second = await Draas.Api.Program.Main(["db", "upgrade"]);
            }
            finally
            {
                Console.SetOut(original);
            }

            Assert.That(first, Is.EqualTo(0));
            Assert.That(second, Is.EqualTo(0));
            Assert.That(output.ToString(), Does.Contain("applied: ").And.Contain("Initial"));
            Assert.That(output.ToString(), Does.Contain("database is up to date"));
            foreach (var table in new[] { "sites", "arrays", "protections", "plans", "plan_resources", "manifests", "runs", "steps", "audit_events", "data_protection_keys" })
                Assert.That(await database.ScalarAsync<bool>("SELECT to_regclass($1) IS NOT NULL", table), Is.True, table);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DRAAS__DATABASE__CONNECTION", null);
        }
    }
}
