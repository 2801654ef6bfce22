namespace Draas.Domain.Protection;

/// <summary>
/// A cloud admin's statement that a project at a recovery site belongs to a tenant's primary project (as
/// Trilio's tenant mapping): the only recovery projects a project member may name are mapped ones, or one
/// the service creates for them. A recovery project is mapped to one tenant only.
/// </summary>
public sealed class ProjectMapping : IEntity
{
    public Guid Id { get; set; }
    public Guid PrimarySiteId { get; set; }
    public required string PrimaryProjectId { get; set; }
    public Guid RecoverySiteId { get; set; }
    public required string RecoveryProjectId { get; set; }
    public string? Description { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
