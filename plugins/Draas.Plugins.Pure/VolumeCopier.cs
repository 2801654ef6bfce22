using Draas.Plugins.Pure.Rest;
using Draas.Plugins.Pure.Rest.Models;
using Draas.Storage;

namespace Draas.Plugins.Pure;

/// <summary>
/// Makes the importable volume at the recovery array: a copy of a replicated snapshot (async) or of a pod
/// volume (sync, continuous). Finds its own earlier copy instead of making a second one, refuses a name
/// taken by anything else, and checks the recovery array has room first.
/// </summary>
internal static class VolumeCopier
{
    /// <summary>The earlier copy named <paramref name="name"/>, or null. Throws on a clash with a foreign volume.</summary>
    public static async Task<Volume?> FindOwnCopyAsync(FlashArrayClient client, string name, Func<string?, bool> isOurSource,
        CancellationToken cancellationToken)
    {
        var existing = await client.FindVolumeAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is null) return null;
        if (!isOurSource(existing.Source?.Name))
        {
            throw new ArrayException(ArrayErrorKind.AlreadyExists,
                $"volume name clash: '{name}' already exists and is not a copy this service made (its source is '{existing.Source?.Name ?? "none"}')",
                client.ArrayName, context: name);
        }
        if (existing.Destroyed)
        {
            throw new ArrayException(ArrayErrorKind.Destroyed,
                $"'{name}' was made earlier and has since been destroyed; eradicate or recover it before promoting again",
                client.ArrayName, context: name);
        }
        return existing;
    }

    public static async Task<Volume> CopyAsync(FlashArrayClient client, string name, string source, long neededBytes,
        CancellationToken cancellationToken)
    {
        await EnsureRoomAsync(client, source, neededBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.CopyVolumeAsync(name, source, cancellationToken).ConfigureAwait(false);
        }
        catch (ArrayException e) when (e.Kind == ArrayErrorKind.AlreadyExists)
        {
            // A retried POST whose first answer was lost: the copy is there, and it is ours.
            var again = await client.FindVolumeAsync(name, cancellationToken).ConfigureAwait(false);
            if (again is not null && again.Source?.Name == source && !again.Destroyed) return again;
            throw;
        }
    }

    private static async Task EnsureRoomAsync(FlashArrayClient client, string source, long neededBytes, CancellationToken cancellationToken)
    {
        var space = await client.GetArraySpaceAsync(cancellationToken).ConfigureAwait(false);
        var capacity = space.Capacity ?? 0;
        var used = space.Space?.TotalPhysical ?? 0;
        if (capacity > 0 && used + neededBytes > capacity)
        {
            throw new ArrayException(ArrayErrorKind.InsufficientCapacity,
                $"the recovery array has {Math.Max(0, capacity - used)} bytes free; a copy of '{source}' may need {neededBytes}",
                client.ArrayName, context: source);
        }
    }

    public static PromotedVolume Result(Volume volume, RecoveryPoint point, bool createdNow) =>
        new(volume.Name, volume.Provisioned, point, createdNow);
}
