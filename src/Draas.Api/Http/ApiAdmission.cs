using System.Threading.RateLimiting;
using Draas.Api.Configuration;
using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Http;

/// <summary>
/// At most <c>[api] max_concurrent_requests</c> API requests at once, the next <c>request_queue</c> waiting
/// oldest first, and a 503 with Retry-After beyond that. Without it, reads that slow down pile up (each open
/// request holds a database connection), and a site-wide failover watched by impatient people stalled
/// because its steps could not get a connection. Only /v1: health, metrics and the console stay answered.
/// </summary>
public sealed class ApiAdmission(RequestDelegate next, ApiOptions api) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = api.MaxConcurrentRequests,
        QueueLimit = api.RequestQueue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }
        using var turn = await _limiter.AcquireAsync(1, context.RequestAborted);
        if (!turn.IsAcquired)
        {
            ApiMetrics.Refused.Inc();
            context.Response.Headers.RetryAfter = "1";
            await Faults.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"The API is answering {api.MaxConcurrentRequests} requests with {api.RequestQueue} more waiting; try again in a second.");
            return;
        }
        await next(context);
    }

    public void Dispose() => _limiter.Dispose();
}
