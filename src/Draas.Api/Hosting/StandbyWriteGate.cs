using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Hosting;

/// <summary>
/// While the database is a read-only standby, answers every change (anything but GET, HEAD, OPTIONS)
/// with 503 and a fault saying so, before it reaches an endpoint that would fail on the first write.
/// </summary>
public sealed class StandbyWriteGate(RequestDelegate next, DatabaseRole role)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (role.IsStandby && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.Headers.RetryAfter = "30";
            await Faults.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, DatabaseRole.StandbyMessage);
            return;
        }
        await next(context);
    }
}
