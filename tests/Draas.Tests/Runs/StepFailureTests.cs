using Draas.Workflows.Runs;
using Npgsql;

namespace Draas.Tests.Runs;

/// <summary>A failover under a storm of API reads ran its database pool dry: that attempt fails, the step is retried.</summary>
[TestFixture]
public sealed class StepFailureTests
{
    private static readonly NpgsqlException PoolExhausted = new("The connection pool has been exhausted, either raise 'Max Pool Size' (currently 100) or 'Timeout' (currently 15 seconds) in your connection string.",
        new TimeoutException("The operation has timed out."));

    [Test]
    public void A_database_pool_that_ran_dry_is_a_transient_fault_and_is_named_as_the_services_database()
    {
        // What EF's retrying strategy throws when it gave up on a transient fault.
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", PoolExhausted);
        Assert.That(PoolExhausted.IsTransient, Is.True, "Npgsql calls a pool timeout transient");
        Assert.That(StepFailures.IsTransient(wrapped), Is.True);
        Assert.That(StepFailures.IsTransient(PoolExhausted), Is.True);
        Assert.That(StepFailures.Describe(wrapped), Does.StartWith("the service's database: The connection pool has been exhausted"));
    }

    [Test]
    public void A_save_that_lost_its_connection_is_transient_however_deep_EF_wrapped_it()
    {
        var save = new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving the entity changes.",
            new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer")));
        Assert.That(StepFailures.IsTransient(save), Is.True);
        Assert.That(StepFailures.Describe(save), Is.EqualTo("the service's database: Exception while reading from stream"));
        var refused = new Microsoft.EntityFrameworkCore.DbUpdateException("An error occurred while saving the entity changes.",
            new NpgsqlException("23505: duplicate key value violates unique constraint"));
        Assert.That(StepFailures.IsTransient(refused), Is.False, "a constraint the database refused is not worth a retry");
    }

    [Test]
    public void A_programming_error_stays_permanent()
    {
        Assert.That(StepFailures.IsTransient(new InvalidOperationException("Sequence contains no elements")), Is.False);
    }
}
