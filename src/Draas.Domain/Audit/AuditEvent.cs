namespace Draas.Domain.Audit;

/// <summary>One entry of the append-only audit log: who did what to which resource, and how it ended.</summary>
public sealed class AuditEvent
{
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
}
