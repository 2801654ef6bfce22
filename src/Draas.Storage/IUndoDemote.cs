namespace Draas.Storage;

/// <summary>Capability: give a demoted replication source back its role (a cancelled planned migration of an
/// ActiveDR plan). Idempotent: a source already writable, with the target back to being a replica, is left as it is.</summary>
public interface IUndoDemote
{
    /// <summary>Makes the source writable again with the contents it had when it was demoted, and the target
    /// a replica of it again (a target the cancelled switch promoted is demoted without quiesce: it holds
    /// nothing newer). Returns a line per change, none when nothing had to change.</summary>
    Task<IReadOnlyList<string>> UndoDemoteAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default);
}
