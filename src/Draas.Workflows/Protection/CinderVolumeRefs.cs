using Draas.Domain.Manifests;
using Draas.Storage;

namespace Draas.Workflows.Protection;

public static class CinderVolumeRefs
{
    /// <summary>What a storage plugin may read of a captured volume to find its array object.</summary>
    public static CinderVolumeRef ToCinderRef(this VolumeEntry volume) =>
        new(volume.Id, volume.NameId, volume.Host, volume.ProviderId, volume.Metadata);
}
