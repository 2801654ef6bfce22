using Draas.Plugins.Pure.Rest.Models;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>/pods, /pods/arrays (ActiveCluster stretch) and /pod-replica-links (ActiveDR).</summary>
public sealed partial class FlashArrayClient
{
    public async Task<Pod?> FindPodAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindAsync<Pod>("pods", new Query { { "names", [name] } }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public async Task<Pod> CreatePodAsync(string name, CancellationToken cancellationToken = default) =>
        (await WriteAsync<Pod>(Method.Post, "pods", new Query { { "names", [name] } }, null, cancellationToken)
            .ConfigureAwait(false)).Single();

    /// <summary>PATCH /pods with extra switches such as <c>quiesce</c>, <c>skip_quiesce</c>, <c>promote_from</c>.</summary>
    public async Task<Pod> PatchPodAsync(string name, PodPatch patch, Query? switches = null, CancellationToken cancellationToken = default)
    {
        var query = new Query { { "names", [name] } };
        foreach (var (key, value) in switches ?? []) query = query.WithEncoded(key, value);
        return (await WriteAsync<Pod>(Method.Patch, "pods", query, patch, cancellationToken).ConfigureAwait(false)).Single();
    }

    /// <summary>Eradicates a destroyed, empty pod. Contents are never eradicated with it: a volume
    /// still inside makes the array refuse, which is the safe answer.</summary>
    public Task EradicatePodAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync("pods", new Query { { "names", [name] } }, cancellationToken);

    /// <summary>Stretches a pod to another array (sync replication).</summary>
    public Task StretchPodAsync(string pod, string array, CancellationToken cancellationToken = default) =>
        WriteAsync<GroupMember>(Method.Post, "pods/arrays", new Query { { "group_names", [pod] }, { "member_names", [array] } },
            null, cancellationToken);

    public Task UnstretchPodAsync(string pod, string array, CancellationToken cancellationToken = default) =>
        DeleteAsync("pods/arrays", new Query { { "group_names", [pod] }, { "member_names", [array] } }, cancellationToken);

    public Task DeleteReplicaLinkAsync(string localPod, string remotePod, CancellationToken cancellationToken = default) =>
        DeleteAsync("pod-replica-links", new Query { { "local_pod_names", [localPod] }, { "remote_pod_names", [remotePod] } }, cancellationToken);

    public Task<List<PodReplicaLink>> ListReplicaLinksAsync(string localPod, CancellationToken cancellationToken = default) =>
        FindAsync<PodReplicaLink>("pod-replica-links", new Query { { "local_pod_names", [localPod] } }, cancellationToken);

    public Task CreateReplicaLinkAsync(string localPod, string remoteArray, string remotePod, CancellationToken cancellationToken = default) =>
        WriteAsync<PodReplicaLink>(Method.Post, "pod-replica-links",
            new Query { { "local_pod_names", [localPod] }, { "remote_names", [remoteArray] }, { "remote_pod_names", [remotePod] } },
            null, cancellationToken);
}
