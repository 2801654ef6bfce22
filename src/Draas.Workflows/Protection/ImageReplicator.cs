using System.Net;
using Draas.Domain.Manifests;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Image;

namespace Draas.Workflows.Protection;

/// <summary>
/// Keeps the images a plan's servers boot from present at the recovery site, under the same id and with
/// the same checksum, so a recovery never waits on an image upload. Copies stream site to site and are
/// verified at both ends; a half-finished copy from an earlier attempt is replaced.
/// </summary>
public sealed class ImageReplicator
{
    public async Task<IReadOnlyList<string>> EnsureAsync(KeystoneSession primary, KeystoneSession recovery, IReadOnlyList<ImageEntry> images, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var image in images)
        {
            var existing = await FindAsync(recovery.Image, image.Id, ct);
            if (existing is { Status: "active" })
            {
                if (existing.Checksum != image.Checksum)
                    problems.Add($"image {image.Id} at the recovery site has checksum {existing.Checksum}, not {image.Checksum}");
                continue;
            }
            if (existing is not null) await recovery.Image.DeleteAsync(existing.Id, ct);
            await ImageCopy.CopyAsync(primary.Image, image.Id, recovery.Image, new CopyImageOptions
            {
                ExtraProperties = new Dictionary<string, string> { ["draas_source_image"] = image.Id },
            }, ct);
        }
        return problems;
    }

    private static async Task<Image?> FindAsync(ImageClient images, string id, CancellationToken ct)
    {
        try
        {
            return await images.GetAsync(id, ct);
        }
        catch (OpenStackException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
