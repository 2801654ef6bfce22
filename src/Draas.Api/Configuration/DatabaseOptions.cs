using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[database]</summary>
public sealed class DatabaseOptions
{
    public const string Section = "database";

    /// <summary>Npgsql connection string of the service's PostgreSQL database.</summary>
    [ConfigurationKeyName("connection")]
    public string Connection { get; set; } = "";

    /// <summary>Apply pending migrations when the service starts (else run `draas db upgrade`).</summary>
    [ConfigurationKeyName("auto_migrate")]
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// Seconds between checks of whether the database is a read-only standby (pg_is_in_recovery()).
    /// Against a standby the service serves reads only and runs no jobs; once the database is promoted
    /// it becomes active on the next check.
    /// </summary>
    [ConfigurationKeyName("role_check_interval")]
    public int RoleCheckInterval { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Connection)) yield return "[database] connection is required";
        if (RoleCheckInterval is < 1 or > 3600) yield return "[database] role_check_interval must be 1..3600";
    }
}
