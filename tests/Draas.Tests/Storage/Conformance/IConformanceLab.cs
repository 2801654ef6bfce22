using Draas.Storage;

namespace Draas.Tests.Storage.Conformance;

/// <summary>
/// What the vendor-neutral conformance suite needs of a plugin's lab: two arrays that replicate to each other,
/// a way to make volumes as that vendor's Cinder driver names them, to write to them and to read back what they
/// hold, and the names of every volume on an array (leftovers). Everything else goes through the plugin.
/// </summary>
public interface IConformanceLab : IAsyncDisposable
{
    IStoragePlugin Plugin { get; }
    ArrayRef Source { get; }
    ArrayRef Target { get; }
    /// <summary>An array reference nothing answers at.</summary>
    ArrayRef Unreachable { get; }
    TimeSpan Interval { get; }
    /// <summary>How long replicate-now may wait in this lab.</summary>
    TimeSpan ReplicateTimeout { get; }

    /// <summary>A new volume on <paramref name="array"/>, named as the plugin names a fresh Cinder volume's array object.</summary>
    Task<string> CreateVolumeAsync(ArrayRef array, CancellationToken ct);
    Task WriteAsync(ArrayRef array, string volume, string marker, CancellationToken ct);
    /// <summary>What the volume holds, as a value equal for equal contents.</summary>
    Task<string> FingerprintAsync(ArrayRef array, string volume, CancellationToken ct);
    Task<IReadOnlyList<string>> VolumesAsync(ArrayRef array, CancellationToken ct);
}
