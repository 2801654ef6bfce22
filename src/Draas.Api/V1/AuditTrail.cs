using System.Text.Json;
using Draas.Api.Auth;
using Draas.Data;
using Draas.Domain.Audit;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.V1;

/// <summary>Adds an audit event for an API change; it is saved with the change itself, or not at all.</summary>
public static class AuditTrail
{
    public static void Record(DraasDbContext db, HttpContext context, TimeProvider clock, string action, string resourceType, string? resourceId, string? projectId = null, object? detail = null)
    {
        var caller = context.Caller();
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            RequestId = context.TraceIdentifier,
            UserId = caller.UserId,
            UserName = caller.Credentials.UserName,
            ActorProjectId = caller.ProjectId,
            ProjectId = projectId,
            Action = action,
            ResourceType = resourceType,
            ResourceId = resourceId,
            Outcome = "success",
            Detail = detail is null ? null : JsonSerializer.Serialize(detail, ApiJson.Options),
        });
    }
}
