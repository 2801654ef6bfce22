namespace Draas.Simulators.OpenStack.Core;

/// <summary>Runs in front of routing: tags every response with <c>X-Openstack-Request-Id</c>, and applies
/// the site's injected faults to requests of <c>/{site}/{service}/...</c>. A site that is down resets the
/// connection (what a client sees of a dead cloud); a forced or random failure answers in the service's
/// own error style.</summary>
public sealed class FaultMiddleware(IReadOnlyDictionary<string, SimSite> sites, Action<string>? log)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var requestId = "req-" + Guid.NewGuid();
        http.Response.Headers["X-Openstack-Request-Id"] = requestId;
        log?.Invoke($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (segments.Length >= 1 && sites.TryGetValue(segments[0], out var site))
        {
            site.CountRequest(segments.Length >= 2 ? segments[1] : null);
            if (site.Faults.Down)
            {
                site.Faults.CountInjected();
                http.Abort();
                return;
            }
            if (segments.Length >= 2)
            {
                // Nova repeats the id under its older header name.
                if (segments[1] == "compute") http.Response.Headers["X-Compute-Request-Id"] = requestId;
                var (latency, status) = site.Faults.Roll(segments[1]);
                // Latency is wall-clock on purpose: it exists to exercise client timeouts.
                if (latency > TimeSpan.Zero) await Task.Delay(latency, http.RequestAborted);
                if (status is { } code)
                {
                    var message = code == 409 ? "Injected fault: the resource is in use (simulated conflict)."
                        : $"Injected fault: service answered {code}.";
                    var result = segments[1] switch
                    {
                        "identity" => ApiError.Keystone(code, message),
                        "image" => ApiError.Glance(code, message),
                        "network" => ApiError.Neutron(code, "SimulatedFault", message),
                        _ => ApiError.Fault(code, message),
                    };
                    if (code == 503) http.Response.Headers.RetryAfter = "1";
                    await result.ExecuteAsync(http);
                    return;
                }
            }
        }
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            // A simulator bug should read like a service fault, with the cause, not an empty 500.
            log?.Invoke($"500 {http.Request.Method} {http.Request.Path}: {e}");
            await ApiError.Fault(500, $"Simulator error: {e.GetType().Name}: {e.Message}").ExecuteAsync(http);
        }
    }
}
