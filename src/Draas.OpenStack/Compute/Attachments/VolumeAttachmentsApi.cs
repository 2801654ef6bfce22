using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Compute.Attachments;

/// <summary>Nova's os-volume_attachments: attach and detach data volumes of a recovered server.</summary>
public sealed class VolumeAttachmentsApi(ServiceClient client)
{
    public async Task<IReadOnlyList<VolumeAttachment>> ListAsync(string serverId, CancellationToken ct) =>
        await client.GetAsync<List<VolumeAttachment>>(ComputeUrls.VolumeAttachments(serverId), "volumeAttachments", ct).ConfigureAwait(false);

    /// <summary>A server busy in another task (task_state set) answers 409; that is retried.</summary>
    public Task<VolumeAttachment> AttachAsync(string serverId, AttachVolumeOptions options, CancellationToken ct) =>
        client.SendAsync<VolumeAttachment>(new OpenStackRequest(Method.Post, ComputeUrls.VolumeAttachments(serverId))
        {
            // A dictionary, not an anonymous object: the naming policy would turn volumeAttachment into volume_attachment.
            Body = new Dictionary<string, object> { ["volumeAttachment"] = options },
            ConflictIsTransient = true,
        }, "volumeAttachment", ct);

    public Task DetachAsync(string serverId, string volumeId, CancellationToken ct) =>
        client.DeleteAsync(ComputeUrls.VolumeAttachment(serverId, volumeId), ct, conflictIsTransient: true);
}
