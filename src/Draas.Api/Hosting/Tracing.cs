using Draas.Api.Configuration;
using Draas.Workflows.Runs;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Draas.Api.Hosting;

/// <summary>What the service traces: runs and steps (<see cref="RunTracing"/>), every outgoing HTTP request
/// (OpenStack, arrays, webhooks: the step's children) and the API's requests. One list, for the host and for tests.</summary>
public static class Tracing
{
    public static TracerProviderBuilder AddDraasSources(this TracerProviderBuilder tracing) => tracing
        .AddSource(RunTracing.SourceName)
        .AddHttpClientInstrumentation()
        .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/healthz"));

    /// <summary>Traces to the OTLP collector when <c>[telemetry] otlp_endpoint</c> is set; nothing otherwise.</summary>
    public static void AddDraasTracing(this IServiceCollection services, TelemetryOptions options)
    {
        if (!options.Enabled) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .WithTracing(t => t.AddDraasSources().AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(options.OtlpEndpoint!);
                o.Protocol = options.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            }));
    }
}
