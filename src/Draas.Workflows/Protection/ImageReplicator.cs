using System.Net;
using Draas.Domain.Manifests;
using Draas.OpenStack;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Image;

namespace Draas.Workflows.Protection;

/// <summary>
/// Keeps the images a plan's servers boot from present at the recovery site, under the same id and with
/// the same checksum, so a recovery never waits on an image upload. Copies stream site to site and are
/// verified at both ends; a half-finished copy from an earlier attempt is replaced. The copy belongs to
/// the service's own project at the recovery site; when the tenant has a recovery project, the copy is
/// shared with it (Glance image members: added and accepted), so servers rebuilt there can boot from it.
/// </summary>
public sealed class ImageReplicator
{
    public Task<IReadOnlyList<string>> EnsureAsync(KeystoneSession primary, KeystoneSession recovery, IReadOnlyList<ImageEntry> images, CancellationToken ct) =>
        EnsureAsync(primary, recovery, images, shareWith: null, asRecoveryProject: null, ct);

    /// <param name="shareWith">The recovery project that must be able to use the copies, or null.</param>
    /// <param name="asRecoveryProject">The service's session scoped to that project, which accepts the share as the
    /// member itself (Glance lets only the member decide); when it cannot (no role there) the admin session does.</param>
    public async Task<IReadOnlyList<string>> EnsureAsync(KeystoneSession primary, KeystoneSession recovery, IReadOnlyList<ImageEntry> images,
        string? shareWith, KeystoneSession? asRecoveryProject, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var image in images)
        {
            var existing = await FindAsync(recovery.Image, image.Id, ct);
            if (existing is { Status: "active" })
            {
                if (existing.Checksum != image.Checksum)
                    problems.Add($"image {image.Id} at the recovery site has checksum {existing.Checksum}, not {image.Checksum}");
                else if (shareWith is not null) await ShareAsync(recovery.Image, asRecoveryProject?.Image, existing, shareWith, ct);
                continue;
            }
            if (existing is not null) await recovery.Image.DeleteAsync(existing.Id, ct);
            var (copy, _) = await ImageCopy.CopyAsync(primary.Image, image.Id, recovery.Image, new CopyImageOptions
            {
                // Shared (with no members yet) rather than private, so it can be given to the recovery project.
                Visibility = shareWith is null ? null : "shared",
                ExtraProperties = new Dictionary<string, string> { ["draas_source_image"] = image.Id },
            }, ct);
            if (shareWith is not null) await ShareAsync(recovery.Image, asRecoveryProject?.Image, copy, shareWith, ct);
        }
        return problems;
    }

    /// <summary>Makes <paramref name="image"/> usable by <paramref name="projectId"/>: a member that has accepted it.
    /// An image already public or community needs nothing; a private copy becomes shared.</summary>
    private static async Task ShareAsync(ImageClient images, ImageClient? asMember, Image image, string projectId, CancellationToken ct)
    {
        if (image.Owner == projectId || image.Visibility is "public" or "community") return;
        if (image.Visibility != "shared") await images.SetVisibilityAsync(image.Id, "shared", ct);
        var member = (await images.ListMembersAsync(image.Id, ct)).FirstOrDefault(m => m.MemberId == projectId);
        if (member is null) await images.AddMemberAsync(image.Id, projectId, ct);
        // Accepted, because only accepted images are in the project's image list.
        if (member?.Status == "accepted") return;
        try
        {
            await (asMember ?? images).SetMemberStatusAsync(image.Id, projectId, "accepted", ct);
        }
        catch (OpenStackException e) when (asMember is not null && e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The service has no role in a recovery project it did not create: its admin accepts on the project's behalf.
            await images.SetMemberStatusAsync(image.Id, projectId, "accepted", ct);
        }
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
