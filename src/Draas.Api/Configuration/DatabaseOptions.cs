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

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Connection)) yield return "[database] connection is required";
    }
}
