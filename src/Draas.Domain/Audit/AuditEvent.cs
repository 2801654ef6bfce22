using System.Text.Json;
using System.Text.Json.Serialization;
using Draas.Domain.Protection;
using Draas.Domain.Runs;

namespace Draas.Domain.Audit;

/// <summary>One entry of the append-only audit log: who did what to which resource, and how it ended.</summary>
public sealed class AuditEvent
{
    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>How every entry writes its detail: snake_case names, enums as words, unknowns as null.</summary>
    public static readonly JsonSerializerOptions DetailJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? RequestId { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }

    /// <summary>The project the caller's token was scoped to.</summary>
    public string? ActorProjectId { get; set; }

    /// <summary>The project that owns the resource (null for cloud-wide resources such as sites).</summary>
    public string? ProjectId { get; set; }
    public required string Action { get; set; }
    public required string ResourceType { get; set; }
    public string? ResourceId { get; set; }
    public required string Outcome { get; set; }

    /// <summary>Extra facts (JSON); never a secret.</summary>
    public string? Detail { get; set; }

    /// <summary>An entry about any resource; <paramref name="detail"/> is serialized with <see cref="DetailJson"/>.</summary>
    public static AuditEvent Of(DateTimeOffset at, string action, string resourceType, string? resourceId, bool ok, string? projectId = null,
        object? detail = null, string? requestId = null, string? userName = null) => new()
        {
            At = at,
            Action = action,
            ResourceType = resourceType,
            ResourceId = resourceId,
            Outcome = ok ? Success : Failure,
            ProjectId = projectId,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail, DetailJson),
            RequestId = requestId,
            UserName = userName,
        };

    /// <summary>An entry about a run, owned by the run's project.</summary>
    public static AuditEvent OfRun(Run run, DateTimeOffset at, string action, bool ok, object? detail = null, string? requestId = null, string? userName = null) =>
        Of(at, action, "run", run.Id.ToString(), ok, run.ProjectId, detail, requestId, userName);

    /// <summary>An entry about a plan, owned by the plan's project.</summary>
    public static AuditEvent OfPlan(Plan plan, DateTimeOffset at, string action, bool ok, object? detail = null, string? userName = null) =>
        Of(at, action, "plan", plan.Id.ToString(), ok, plan.ProjectId, detail, userName: userName);
}
