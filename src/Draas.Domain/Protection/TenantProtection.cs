namespace Draas.Domain.Protection;

/// <summary>A primary-site project enrolled for DR, mapped to a project at the recovery site. Where each of
/// its plans runs now (failed over, reversed) is the plan's: see <see cref="PlanPlacement"/>.</summary>
public sealed class TenantProtection : IEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid PrimarySiteId { get; set; }
    public required string PrimaryProjectId { get; set; }
    public Guid RecoverySiteId { get; set; }
    public string? RecoveryProjectId { get; set; }
    public int RpoTargetSeconds { get; set; } = 900;

    /// <summary>Cron expression of the scheduled drill, or null for none.</summary>
    public string? DrillSchedule { get; set; }

    /// <summary>Primary network id → recovery network id.</summary>
    public Dictionary<string, string> NetworkMapping { get; set; } = [];
    public List<string> Contacts { get; set; } = [];
    public string? WebhookUrl { get; set; }

    /// <summary>The key the webhook's calls are signed with (HMAC-SHA256), encrypted at rest; write-only in the API.</summary>
    public string? WebhookSecretCiphertext { get; set; }
    public ProtectionStatus Status { get; set; } = ProtectionStatus.Active;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

public enum ProtectionStatus
{
    Active,
}
