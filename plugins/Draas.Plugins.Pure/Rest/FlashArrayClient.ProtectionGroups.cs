using Draas.Plugins.Pure.Rest.Models;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>/protection-groups and its members, targets, snapshots and transfers.</summary>
public sealed partial class FlashArrayClient
{
    public async Task<ProtectionGroup?> FindProtectionGroupAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindAsync<ProtectionGroup>("protection-groups", new Query { { "names", [name] } }, cancellationToken)
            .ConfigureAwait(false)).FirstOrDefault();

    public async Task<ProtectionGroup> CreateProtectionGroupAsync(string name, CancellationToken cancellationToken = default) =>
        (await WriteAsync<ProtectionGroup>(Method.Post, "protection-groups", new Query { { "names", [name] } }, null,
            cancellationToken).ConfigureAwait(false)).Single();

    public async Task<ProtectionGroup> PatchProtectionGroupAsync(string name, ProtectionGroupPatch patch,
        CancellationToken cancellationToken = default) =>
        (await WriteAsync<ProtectionGroup>(Method.Patch, "protection-groups", new Query { { "names", [name] } }, patch,
            cancellationToken).ConfigureAwait(false)).Single();

    public Task EradicateProtectionGroupAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync("protection-groups", new Query { { "names", [name] } }, cancellationToken);

    public Task<List<GroupMember>> ListGroupVolumesAsync(string group, CancellationToken cancellationToken = default) =>
        FindAsync<GroupMember>("protection-groups/volumes", new Query { { "group_names", [group] } }, cancellationToken);

    public async Task AddGroupVolumesAsync(string group, IReadOnlyCollection<string> volumes, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in volumes.Chunk(NamesPerRequest))
        {
            await WriteAsync<GroupMember>(Method.Post, "protection-groups/volumes",
                new Query { { "group_names", [group] }, { "member_names", chunk } }, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveGroupVolumesAsync(string group, IReadOnlyCollection<string> volumes, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in volumes.Chunk(NamesPerRequest))
        {
            await DeleteAsync("protection-groups/volumes", new Query { { "group_names", [group] }, { "member_names", chunk } },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<List<GroupMember>> ListGroupTargetsAsync(string group, CancellationToken cancellationToken = default) =>
        FindAsync<GroupMember>("protection-groups/targets", new Query { { "group_names", [group] } }, cancellationToken);

    public Task AddGroupTargetAsync(string group, string targetArray, CancellationToken cancellationToken = default) =>
        WriteAsync<GroupMember>(Method.Post, "protection-groups/targets",
            new Query { { "group_names", [group] }, { "member_names", [targetArray] } }, null, cancellationToken);

    /// <summary>Sent to the TARGET array for the replica group <c>source:pg</c>.</summary>
    public Task AllowReplicaGroupAsync(string replicaGroup, CancellationToken cancellationToken = default) =>
        WriteAsync<GroupMember>(Method.Patch, "protection-groups/targets", new Query { { "group_names", [replicaGroup] } },
            new TargetPatch(true), cancellationToken);

    /// <summary>Takes a group snapshot and ships it to the targets now.</summary>
    public async Task<ProtectionGroupSnapshot> SnapshotAndReplicateAsync(string group, CancellationToken cancellationToken = default) =>
        (await WriteAsync<ProtectionGroupSnapshot>(Method.Post, "protection-group-snapshots",
            new Query { { "source_names", [group] }, { "apply_retention", true }, { "replicate_now", true } }, null,
            cancellationToken).ConfigureAwait(false)).Single();

    public IAsyncEnumerable<ProtectionGroupSnapshot> ListGroupSnapshotsAsync(string group, CancellationToken cancellationToken = default) =>
        ListAsync<ProtectionGroupSnapshot>("protection-group-snapshots",
            new Query { { "source_names", [group] }, { "destroyed", false } }, cancellationToken);

    /// <summary>Completed transfers of a (replica) group's snapshots, newest first, as Cinder asks for them.</summary>
    public IAsyncEnumerable<SnapshotTransfer> ListCompletedTransfersAsync(string group, CancellationToken cancellationToken = default) =>
        ListAsync<SnapshotTransfer>("protection-group-snapshots/transfer",
            new Query { { "source_names", [group] }, { "destroyed", false }, { "filter", "progress=\"1.0\"" }, { "sort", "started-" } },
            cancellationToken);

    public async Task<SnapshotTransfer?> FindTransferAsync(string snapshot, CancellationToken cancellationToken = default) =>
        (await FindAsync<SnapshotTransfer>("protection-group-snapshots/transfer", new Query { { "names", [snapshot] } },
            cancellationToken).ConfigureAwait(false)).FirstOrDefault();
}
