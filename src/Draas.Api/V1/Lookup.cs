using Draas.Api.Errors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Draas.Api.V1;

/// <summary>The shared moves of every resource endpoint: find by id (404 otherwise), save (409 on a taken name).</summary>
public static class Lookup
{
    /// <summary>A malformed id is simply an id that does not exist, as in Nova and Cinder.</summary>
    public static async Task<T> FindAsync<T>(IQueryable<T> query, string id, string what, Func<Guid, System.Linq.Expressions.Expression<Func<T, bool>>> byId, CancellationToken ct)
        where T : class
    {
        if (!Guid.TryParse(id, out var guid)) throw ApiException.NotFound(what, id);
        return await query.SingleOrDefaultAsync(byId(guid), ct) ?? throw ApiException.NotFound(what, id);
    }

    /// <summary>Two concurrent creates of one name: the unique index decides, the loser gets 409.</summary>
    public static async Task SaveAsync(DbContext db, string conflictMessage, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: "23505" })
        {
            throw ApiException.Conflict(conflictMessage);
        }
    }
}
