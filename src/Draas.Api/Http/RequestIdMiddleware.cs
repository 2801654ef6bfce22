using Microsoft.AspNetCore.Http;

namespace Draas.Api.Http;

/// <summary>Gives every request an OpenStack request id (<c>req-&lt;uuid&gt;</c>) and returns it on every response.</summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Openstack-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var id = "req-" + Guid.NewGuid();
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        return next(context);
    }
}
