using Draas.Plugins.Pure.Rest.Models;

namespace Draas.Plugins.Pure.Rest;

/// <summary>/arrays, /arrays/space and /array-connections.</summary>
public sealed partial class FlashArrayClient
{
    public async Task<ArrayInfo> GetArrayAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var array in ListAsync<ArrayInfo>("arrays", new Query(), cancellationToken).ConfigureAwait(false))
            return array;
        throw new Storage.ArrayException(Storage.ArrayErrorKind.Unknown, "GET /arrays returned no array", ArrayName);
    }

    public async Task<ArraySpace> GetArraySpaceAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var space in ListAsync<ArraySpace>("arrays/space", new Query(), cancellationToken).ConfigureAwait(false))
            return space;
        throw new Storage.ArrayException(Storage.ArrayErrorKind.Unknown, "GET /arrays/space returned nothing", ArrayName);
    }

    public async Task<List<ArrayConnection>> ListArrayConnectionsAsync(CancellationToken cancellationToken = default)
    {
        var found = new List<ArrayConnection>();
        await foreach (var c in ListAsync<ArrayConnection>("array-connections", new Query(), cancellationToken).ConfigureAwait(false))
            found.Add(c);
        return found;
    }
}
