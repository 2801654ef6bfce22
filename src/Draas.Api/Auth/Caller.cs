using Draas.Api.Policy;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Auth;

/// <summary>The authenticated caller of one request, from their validated Keystone token.</summary>
public sealed record Caller(Credentials Credentials, DateTimeOffset ExpiresAt)
{
    public string UserId => Credentials.UserId;

    public string? ProjectId => Credentials.ProjectId;
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<Caller>() ?? throw new InvalidOperationException("no authenticated caller on this request");
}
