using Draas.Data;

namespace Draas.Api.Hosting;

/// <summary>
/// Whether this process is the active DR service or a standby, as its database decides: a database
/// in recovery (a streaming replica, <c>pg_is_in_recovery()</c>) is read-only, so the service only
/// reads. <see cref="ActiveRoleService"/> flips it to active once the database has been promoted and the
/// active duties (migrations, job servers, recurring jobs) are in place.
/// </summary>
public sealed class DatabaseRole(string connectionString)
{
    public const string Active = "active";
    public const string Standby = "standby";

    /// <summary>What a refused change says: the fault message of the 503.</summary>
    public const string StandbyMessage =
        "This DR service's database is a read-only standby (PostgreSQL in recovery): it serves reads only and runs no jobs " +
        "until the database is promoted. Send changes to the active DR service.";

    private volatile string _current = Standby;

    /// <summary><c>active</c> or <c>standby</c>; standby until the first check has shown a writable database.</summary>
    public string Current => _current;

    public bool IsStandby => _current == Standby;

    /// <summary>Asks the database whether it is in recovery. Throws when the database cannot be reached.</summary>
    public Task<bool> DatabaseIsStandbyAsync(CancellationToken ct) => DatabaseSetup.IsStandbyAsync(connectionString, ct);

    internal void Set(string role) => _current = role;
}
