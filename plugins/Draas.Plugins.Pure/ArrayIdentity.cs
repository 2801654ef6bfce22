using Draas.Plugins.Pure.Rest;
using Draas.Storage;

namespace Draas.Plugins.Pure;

/// <summary>Checks that an array is the one configured, and that two arrays are connected. The configured
/// name must be the array's own: replicas on the target are named after it, and failover cannot ask a dead
/// source for its name.</summary>
internal static class ArrayIdentity
{
    public static async Task VerifyAsync(FlashArrayClient client, ArrayRef configured, CancellationToken ct)
    {
        var info = await client.GetArrayAsync(ct).ConfigureAwait(false);
        if (!string.Equals(info.Name, configured.Name, StringComparison.Ordinal))
        {
            throw new ArrayException(ArrayErrorKind.InvalidRequest,
                $"configured as '{configured.Name}' but the array at {configured.ManagementUrl} calls itself '{info.Name}'",
                configured.Name);
        }
    }

    public static async Task RequireConnectionAsync(FlashArrayClient client, string remote, string type, CancellationToken ct)
    {
        var connections = await client.ListArrayConnectionsAsync(ct).ConfigureAwait(false);
        var toRemote = connections.Where(c => (c.Remote?.Name ?? c.Name) == remote).ToList();
        if (toRemote.Count == 0)
            throw new ArrayException(ArrayErrorKind.NotConnected, $"{client.ArrayName} has no array connection to {remote}", client.ArrayName, context: remote);
        // Arrays may be connected twice (async and sync); only the needed type counts.
        var link = toRemote.FirstOrDefault(c => c.Type is null || c.Type == type)
            ?? throw new ArrayException(ArrayErrorKind.NotConnected,
                $"the connection from {client.ArrayName} to {remote} is {string.Join(" and ", toRemote.Select(c => c.Type))}, {type} is needed",
                client.ArrayName, context: remote);
        if (link.Status != "connected")
            throw new ArrayException(ArrayErrorKind.NotConnected, $"the connection from {client.ArrayName} to {remote} is {link.Status}", client.ArrayName, context: remote);
    }
}
