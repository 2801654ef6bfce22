namespace Draas.Storage;

/// <summary>Capability: give back what a real recovery's (failover, planned migration) promote made of a volume
/// at the recovery array, when that recovery was cancelled before anything ran on it: a copy named for the run is
/// destroyed (Pure); a replica promoted in place keeps its data and gets back its own name (rbd), so undoing the
/// demote finds it. The replica a copy was made from is never touched.</summary>
public interface IReleaseRecoveryCopy
{
    /// <summary>Releases the recovery copy <paramref name="arrayVolumeName"/>, also under the names the recovery
    /// site's Cinder gave it when it imported it as <paramref name="importedAsNameId"/> (and on unmanage).
    /// Refuses a name that is not a recovery's; false when nothing was left to change.</summary>
    Task<bool> ReleaseRecoveryCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null,
        CancellationToken cancellationToken = default);
}
