using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[jobs]: the Hangfire workers of this process.</summary>
public sealed class JobsOptions
{
    public const string Section = "jobs";

    /// <summary>Every queue the general workers serve.</summary>
    public static readonly string[] Queues = ["failover", "default", "drills"];

    /// <summary>General Hangfire workers in this process (queues failover, default and drills).</summary>
    [ConfigurationKeyName("workers")]
    public int Workers { get; set; } = 10;

    /// <summary>
    /// Workers reserved for the failover queue. Hangfire.PostgreSql takes queues in name order, not
    /// in the order given, and busy workers take nothing at all: only reserved workers make sure a
    /// failover never waits behind drills.
    /// </summary>
    [ConfigurationKeyName("failover_workers")]
    public int FailoverWorkers { get; set; } = 4;

    /// <summary>How often idle workers look for new jobs, in milliseconds (with <see cref="LongPolling"/>, only
    /// the fallback for a notification that never came); also how often delayed jobs are moved to their queue.</summary>
    [ConfigurationKeyName("poll_interval_ms")]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>
    /// Idle workers wait on PostgreSQL's LISTEN/NOTIFY (Hangfire.PostgreSql's <c>EnableLongPolling</c>): an
    /// enqueued job wakes one at once instead of at the next poll, so a ready step starts within milliseconds.
    /// </summary>
    [ConfigurationKeyName("long_polling")]
    public bool LongPolling { get; set; } = true;

    /// <summary>
    /// Seconds after which a job whose worker stopped reporting (its process or its whole site died) is
    /// handed to another worker. Running jobs keep themselves invisible with a heartbeat (a fifth of
    /// this), so it bounds how long work held by a dead worker waits, not how long a job may run.
    /// </summary>
    [ConfigurationKeyName("invisibility_timeout")]
    public int InvisibilityTimeout { get; set; } = 300;

    /// <summary>
    /// Seconds a worker owns a running step without renewing it (it renews three times per lease). When a
    /// worker dies or loses the database for longer, its step is handed to another attempt. Short leases
    /// recover faster from a dead worker; the chaos tests shorten it to wait less.
    /// </summary>
    [ConfigurationKeyName("step_lease_seconds")]
    public int StepLeaseSeconds { get; set; } = 20;

    /// <summary>Serve the Hangfire dashboard at /hangfire (cloud admins only).</summary>
    [ConfigurationKeyName("dashboard")]
    public bool Dashboard { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (Workers is < 1 or > 200) yield return "[jobs] workers must be 1..200";
        if (FailoverWorkers is < 1 or > 100) yield return "[jobs] failover_workers must be 1..100";
        if (PollIntervalMs is < 50 or > 60000) yield return "[jobs] poll_interval_ms must be 50..60000";
        if (InvisibilityTimeout is < 5 or > 86400) yield return "[jobs] invisibility_timeout must be 5..86400";
        if (StepLeaseSeconds is < 1 or > 3600) yield return "[jobs] step_lease_seconds must be 1..3600";
    }
}
