using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[api]: the REST endpoint.</summary>
public sealed class ApiOptions
{
    public const string Section = "api";

    [ConfigurationKeyName("bind_host")]
    public string BindHost { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("bind_port")]
    public int BindPort { get; set; } = 8799;

    /// <summary>Largest request body accepted, in bytes; larger ones get 413.</summary>
    [ConfigurationKeyName("max_body_bytes")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>oslo.policy-style overrides of the default rules (YAML); missing file means defaults.</summary>
    [ConfigurationKeyName("policy_file")]
    public string PolicyFile { get; set; } = "/etc/draas/policy.yaml";

    /// <summary>Default and largest page size of list calls.</summary>
    [ConfigurationKeyName("max_limit")]
    public int MaxLimit { get; set; } = 1000;

    /// <summary>Address of a separate listener that serves only <c>/metrics</c>, without a token, for
    /// Prometheus; empty (the default) means none, and <c>/metrics</c> on the API port needs a token that
    /// policy <c>draas:metrics:get</c> allows. Bind it where only the scrapers reach.</summary>
    [ConfigurationKeyName("metrics_bind_host")]
    public string MetricsBindHost { get; set; } = "";

    [ConfigurationKeyName("metrics_bind_port")]
    public int MetricsBindPort { get; set; }

    public bool HasMetricsListener => MetricsBindHost.Length > 0;

    /// <summary>API requests served at once; the rest wait in <see cref="RequestQueue"/>. Each holds a database
    /// connection from the API's own pool (this plus four), never the job workers': an operator's dashboard
    /// polling during a site-wide failover slows the API, not the failover.</summary>
    [ConfigurationKeyName("max_concurrent_requests")]
    public int MaxConcurrentRequests { get; set; } = 16;

    /// <summary>API requests waiting for a turn (oldest first); beyond them, 503 with Retry-After.</summary>
    [ConfigurationKeyName("request_queue")]
    public int RequestQueue { get; set; } = 500;

    public IEnumerable<string> Validate()
    {
        if (MaxConcurrentRequests is < 1 or > 1000) yield return "[api] max_concurrent_requests must be 1..1000";
        if (RequestQueue is < 0 or > 100_000) yield return "[api] request_queue must be 0..100000";
        if (HasMetricsListener && MetricsBindPort is < 1 or > 65535) yield return "[api] metrics_bind_port must be 1..65535 when metrics_bind_host is set";
        if (HasMetricsListener && MetricsBindPort == BindPort && MetricsBindHost == BindHost) yield return "[api] metrics_bind_port must differ from bind_port";
        if (BindPort is < 0 or > 65535) yield return "[api] bind_port must be 0..65535";
        if (MaxBodyBytes is < 1024 or > 64 * 1024 * 1024) yield return "[api] max_body_bytes must be 1 KiB..64 MiB";
        if (MaxLimit is < 1 or > 10000) yield return "[api] max_limit must be 1..10000";
    }
}
