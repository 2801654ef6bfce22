using Draas.Data;
using Microsoft.EntityFrameworkCore;

namespace Draas.Workflows.Runs;

/// <summary>
/// One attempt at a time inside the part of a step that creates something in a cloud. A step's lease can
/// lapse while its first attempt still works (its worker lost the database for a while), and the next
/// attempt then starts beside it: both would look for the volume or server, find none, and create one
/// each. Looking and creating under a transaction-scoped advisory lock keyed by the step makes the second
/// attempt wait and then find what the first created. The lock ends with its transaction, so a worker
/// that dies or loses its connection never holds it.
/// </summary>
public static class StepLock
{
    public static async Task<T> HoldAsync<T>(DraasDbContext db, Guid stepId, Func<Task<T>> work, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({stepId.ToString()}, 0))", ct);
        var result = await work();
        await tx.CommitAsync(ct);
        return result;
    }
}
