namespace Draas.Storage;

/// <summary>How a plan's volumes reach the recovery array.</summary>
public enum ReplicationMode
{
    /// <summary>Scheduled snapshots shipped to the target (Pure: protection group).</summary>
    Async,
    /// <summary>Every write lands on both arrays (Pure: pod stretched with ActiveCluster).</summary>
    Sync,
    /// <summary>Writes stream to a demoted copy with a small lag (Pure: ActiveDR pod replica link).</summary>
    Continuous,
}
