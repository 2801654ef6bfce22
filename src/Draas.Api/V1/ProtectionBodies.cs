using Draas.Domain.Protection;

namespace Draas.Api.V1;

/// <summary><c>{"protection": {...}}</c>: a primary-site project enrolled for DR.</summary>
public sealed record ProtectionBody(ProtectionFields? Protection);

public sealed record ProtectionFields(
    string? Name = null,
    Guid? PrimarySiteId = null,
    string? PrimaryProjectId = null,
    Guid? RecoverySiteId = null,
    string? RecoveryProjectId = null,
    RecoveryProjectFields? RecoveryProject = null,
    int? RpoTargetSeconds = null,
    string? DrillSchedule = null,
    Dictionary<string, string>? NetworkMapping = null,
    List<string>? Contacts = null,
    string? WebhookUrl = null,
    string? WebhookSecret = null);

/// <summary><c>"recovery_project": {"create": true, "name": "shop-dr"}</c>: the service creates the recovery project
/// at the recovery site (instead of <c>recovery_project_id</c> naming an existing one).</summary>
public sealed record RecoveryProjectFields(bool? Create = null, string? Name = null);

public sealed record ProtectionView(
    Guid Id,
    string Name,
    Guid PrimarySiteId,
    string PrimaryProjectId,
    Guid RecoverySiteId,
    string? RecoveryProjectId,
    int RpoTargetSeconds,
    string? DrillSchedule,
    IReadOnlyDictionary<string, string> NetworkMapping,
    IReadOnlyList<string> Contacts,
    string? WebhookUrl,
    bool WebhookSecretSet,
    string Status,
    bool Reversed,
    object PlanStates,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The protection with the roll-up of its plans' states (each plan fails over on its own):
    /// <c>status</c> is failed_over when every plan is, partly_failed_over when some are; <c>reversed</c> when every plan replicates back.</summary>
    public static ProtectionView Of(TenantProtection p, IEnumerable<Plan> plans)
    {
        var rollUp = PlanStateRollUp.Of(plans.Select(plan => PlanPlacement.Of(p, plan)));
        return new(
            p.Id, p.Name, p.PrimarySiteId, p.PrimaryProjectId, p.RecoverySiteId, p.RecoveryProjectId, p.RpoTargetSeconds,
            p.DrillSchedule, p.NetworkMapping, p.Contacts, p.WebhookUrl, p.WebhookSecretCiphertext is not null, rollUp.Status(p.Status), rollUp.AllReversed,
            new { plans = rollUp.Plans, normal = rollUp.Normal, failed_over = rollUp.FailedOver, reversed = rollUp.Reversed }, p.CreatedAt, p.UpdatedAt);
    }
}
