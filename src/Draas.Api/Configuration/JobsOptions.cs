using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[jobs]: the Hangfire workers of this process.</summary>
public sealed class JobsOptions
{
    public const string Section = "jobs";

    /// <summary>Queues in priority order: a drill never delays a failover.</summary>
    public static readonly string[] Queues = ["failover", "default", "drills"];

    /// <summary>Concurrent Hangfire workers in this process.</summary>
    [ConfigurationKeyName("workers")]
    public int Workers { get; set; } = 10;

    /// <summary>How often idle workers look for new jobs, in milliseconds.</summary>
    [ConfigurationKeyName("poll_interval_ms")]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Serve the Hangfire dashboard at /hangfire (cloud admins only).</summary>
    [ConfigurationKeyName("dashboard")]
    public bool Dashboard { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (Workers is < 1 or > 200) yield return "[jobs] workers must be 1..200";
        if (PollIntervalMs is < 50 or > 60000) yield return "[jobs] poll_interval_ms must be 50..60000";
    }
}
