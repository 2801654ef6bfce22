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

    public IEnumerable<string> Validate()
    {
        if (HasMetricsListener && MetricsBindPort is < 1 or > 65535) yield return "[api] metrics_bind_port must be 1..65535 when metrics_bind_host is set";
        if (HasMetricsListener && MetricsBindPort == BindPort && MetricsBindHost == BindHost) yield return "[api] metrics_bind_port must differ from bind_port";
        if (BindPort is < 0 or > 65535) yield return "[api] bind_port must be 0..65535";
        if (MaxBodyBytes is < 1024 or > 64 * 1024 * 1024) yield return "[api] max_body_bytes must be 1 KiB..64 MiB";
        if (MaxLimit is < 1 or > 10000) yield return "[api] max_limit must be 1..10000";
    }
}
