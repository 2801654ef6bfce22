using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder's quota check: a create that would pass a limit is answered 413 before anything exists.</summary>
internal static class Quotas
{
    public static IResult? Exceeded(BlockStorageState state, string projectId, int volumes, int gigabytes, int snapshots = 0)
    {
        foreach (var (key, add, name) in new[] { ("volumes", volumes, "VolumeLimitExceeded"), ("snapshots", snapshots, "SnapshotLimitExceeded"), ("gigabytes", gigabytes, "VolumeSizeExceedsAvailableQuota") })
        {
            if (add == 0) continue;
            var limit = state.Quota(projectId, key);
            if (limit >= 0 && state.InUse(projectId, key) + add > limit)
                return ApiError.Fault(413, $"{name}: Maximum number of {key} allowed ({limit}) exceeded for quota '{key}'.");
        }
        return null;
    }
}
