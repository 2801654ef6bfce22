namespace Draas.Domain.Protection;

/// <summary>A point-in-time capture of a plan's tenant metadata, stored only when its hash changes.</summary>
public sealed class Manifest
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }

    /// <summary>1, 2, 3… per plan: the order of captures that changed something.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>SHA-256 (hex) of the canonical JSON content.</summary>
    public required string ContentHash { get; set; }

    /// <summary>The manifest document (jsonb).</summary>
    public required string Content { get; set; }
}
