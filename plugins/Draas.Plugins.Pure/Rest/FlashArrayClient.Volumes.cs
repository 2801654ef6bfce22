using Draas.Plugins.Pure.Rest.Models;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>/volumes and /volume-snapshots.</summary>
public sealed partial class FlashArrayClient
{
    /// <summary>The volume, destroyed or not, or null when the array has none by that name.</summary>
    public async Task<Volume?> FindVolumeAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindAsync<Volume>("volumes", new Query { { "names", [name] } }, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault();

    /// <summary>All named volumes; fails with NotFound naming the first one missing.</summary>
    public async Task<List<Volume>> GetVolumesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken = default)
    {
        var found = new List<Volume>();
        foreach (var chunk in names.Chunk(NamesPerRequest))
        {
            await foreach (var v in ListAsync<Volume>("volumes", new Query { { "names", chunk } }, cancellationToken).ConfigureAwait(false))
                found.Add(v);
        }
        return found;
    }

    public IAsyncEnumerable<Volume> ListVolumesAsync(Query query, CancellationToken cancellationToken = default) =>
        ListAsync<Volume>("volumes", query, cancellationToken);

    /// <summary>A new volume copied from a snapshot or another volume; fails if the name is taken.</summary>
    public async Task<Volume> CopyVolumeAsync(string name, string source, CancellationToken cancellationToken = default) =>
        (await WriteAsync<Volume>(Method.Post, "volumes", new Query { { "names", [name] } },
            new VolumePost(Source: new NamedRef(source)), cancellationToken).ConfigureAwait(false)).Single();

    public async Task<Volume> CreateVolumeAsync(string name, long provisionedBytes, CancellationToken cancellationToken = default) =>
        (await WriteAsync<Volume>(Method.Post, "volumes", new Query { { "names", [name] } },
            new VolumePost(Provisioned: provisionedBytes), cancellationToken).ConfigureAwait(false)).Single();

    public async Task<Volume> PatchVolumeAsync(string name, VolumePatch patch, CancellationToken cancellationToken = default) =>
        (await WriteAsync<Volume>(Method.Patch, "volumes", new Query { { "names", [name] } }, patch, cancellationToken)
            .ConfigureAwait(false)).Single();

    /// <summary>Eradicates a destroyed volume.</summary>
    public Task EradicateVolumeAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync("volumes", new Query { { "names", [name] } }, cancellationToken);

    public async Task<VolumeSnapshot?> FindVolumeSnapshotAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindAsync<VolumeSnapshot>("volume-snapshots", new Query { { "names", [name] } }, cancellationToken)
            .ConfigureAwait(false)).FirstOrDefault();
}
