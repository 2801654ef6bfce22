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
        var entry = AuditEvent.Of(clock.GetUtcNow(), action, resourceType, resourceId, ok: true, projectId, detail, context.TraceIdentifier, caller.Credentials.UserName);
        entry.UserId = caller.UserId;
        entry.ActorProjectId = caller.ProjectId;
        db.AuditEvents.Add(entry);
    }
}
