using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[telemetry]: OpenTelemetry traces, off unless an OTLP endpoint is set.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "telemetry";

    /// <summary>The OTLP collector (e.g. http://127.0.0.1:4317 for gRPC, http://127.0.0.1:4318/v1/traces for HTTP); unset turns tracing off.</summary>
    [ConfigurationKeyName("otlp_endpoint")]
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    [ConfigurationKeyName("otlp_protocol")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The service.name resource attribute.</summary>
    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; set; } = "draas";

    public bool Enabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public IEnumerable<string> Validate()
    {
        if (Enabled && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            yield return "[telemetry] otlp_endpoint must be an http:// or https:// URL";
        if (OtlpProtocol is not ("grpc" or "http/protobuf")) yield return "[telemetry] otlp_protocol must be grpc or http/protobuf";
    }
}
