using Draas.Api.Configuration;
using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Http;

/// <summary>
/// Who may read <c>/metrics</c> (every plan's id, lag and RPO state): on the API port, a caller whose token
/// policy <c>draas:metrics:get</c> allows (cloud admins, or the <c>metrics</c> role); on the optional
/// separate listener (<c>[api] metrics_bind_host/port</c>), anyone who reaches it, as Prometheus scrapes,
/// and nothing else is served there. docs/input-rules.md tells the choice.
/// </summary>
public sealed class MetricsListener(RequestDelegate next, ApiOptions options)
{
    public const string Path = "/metrics";
    private const string OpenScrape = "draas.metrics.open";

    public static bool IsOpenScrape(HttpContext context) => context.Items.ContainsKey(OpenScrape);

    public Task InvokeAsync(HttpContext context)
    {
        if (!options.HasMetricsListener || context.Connection.LocalPort != options.MetricsBindPort) return next(context);
        if (context.Request.Path != Path) return Faults.WriteAsync(context, 404, $"This listener serves only {Path}.");
        context.Items[OpenScrape] = true;
        return next(context);
    }
}
