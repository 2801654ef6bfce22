namespace Draas.Domain.Protection;

/// <summary>The array-side group a plugin keeps for a plan on one source array (a protection group or a pod).</summary>
public sealed class ReplicationGroup
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public Guid SourceArrayId { get; set; }
    public Guid TargetArrayId { get; set; }

    /// <summary>The group's name on the arrays.</summary>
    public required string Name { get; set; }
    public ReplicationMode Mode { get; set; }

    /// <summary>Member volumes as the source array names them.</summary>
    public List<string> Members { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The latest status check: the plugin's health word, lag and newest recovery point.</summary>
    public string? Health { get; set; }
    public double? LagSeconds { get; set; }
    public DateTimeOffset? LatestRecoveryPointAt { get; set; }
    public DateTimeOffset? CheckedAt { get; set; }
    public uint Version { get; set; }
}
