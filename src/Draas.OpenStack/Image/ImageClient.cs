using System.Buffers;
using System.Text.Json.Nodes;
using Draas.OpenStack.Core;
using RestSharp;

namespace Draas.OpenStack.Image;

/// <summary>
/// Glance v2: images (list, show, create, delete, visibility), data upload and download streamed
/// and verified against checksum and os_hash_value, and image members.
/// </summary>
public sealed class ImageClient(ServiceClient client)
{
    const int CopyBufferSize = 81920;

    public ServiceClient Client => client;

    public IAsyncEnumerable<Image> ListAsync(ImageListOptions? options, CancellationToken ct)
    {
        var o = options ?? new ImageListOptions();
        var query = new QueryBuilder().Add("name", o.Name).Add("status", o.Status).Add("visibility", o.Visibility).Add("owner", o.Owner)
            .Add("tag", o.Tag).Add("member_status", o.MemberStatus).Add("limit", o.Limit).Add("marker", o.Marker).Build();
        return Pager.ListAsync<Image>(client, ImageUrls.Images, "images", query, ct);
    }

    public Task<Image> GetAsync(string id, CancellationToken ct) => client.GetAsync<Image>(ImageUrls.Image(id), null, ct);

    public Task<Image> CreateAsync(CreateImageOptions options, CancellationToken ct) =>
        client.SendAsync<Image>(new OpenStackRequest(Method.Post, ImageUrls.Images) { Body = options }, null, ct);

    public Task DeleteAsync(string id, CancellationToken ct) => client.DeleteAsync(ImageUrls.Image(id), ct);

    /// <summary>PATCH (JSON patch) visibility: public, community, shared or private.</summary>
    public Task<Image> SetVisibilityAsync(string id, string visibility, CancellationToken ct) =>
        client.SendAsync<Image>(new OpenStackRequest(Method.Patch, ImageUrls.Image(id))
        {
            Body = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/visibility", ["value"] = visibility }).ToJsonString(),
            ContentType = "application/openstack-images-v2.1-json-patch",
        }, null, ct);

    /// <summary>
    /// PUT the image data from <paramref name="data"/>, read once and streamed (never buffered
    /// whole), then checks that Glance recorded the checksum and os_hash_value of what was sent.
    /// Not retried: a half-sent stream cannot be replayed; the caller creates a new image instead.
    /// </summary>
    public async Task<ImageTransfer> UploadAsync(string id, Stream data, CancellationToken ct, string hashAlgorithm = "sha512")
    {
        ImageTransfer sent;
        using (var hasher = new ImageHasher(hashAlgorithm))
        {
            await using var body = new HashingReadStream(data, hasher);
            await client.SendStreamAsync(new OpenStackRequest(Method.Put, ImageUrls.File(id)) { ContentType = "application/octet-stream" }, body, ct)
                .ConfigureAwait(false);
            sent = hasher.Finish();
        }
        var image = await GetAsync(id, ct).ConfigureAwait(false);
        Verify(image, sent);
        return sent;
    }

    /// <summary>
    /// Streams the image data into <paramref name="destination"/> chunk by chunk, hashing on the
    /// way, and throws <see cref="ImageChecksumException"/> if it does not match what Glance recorded.
    /// </summary>
    public async Task<ImageTransfer> DownloadAsync(string id, Stream destination, CancellationToken ct)
    {
        var image = await GetAsync(id, ct).ConfigureAwait(false);
        var (head, body) = await client.SendForStreamAsync(new OpenStackRequest(Method.Get, ImageUrls.File(id))
        {
            Headers = [new("Accept", "application/octet-stream")],
        }, ct).ConfigureAwait(false);
        using var hasher = new ImageHasher(image.OsHashAlgo ?? "sha512");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct).ConfigureAwait(false)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, read));
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var received = hasher.Finish();
        if (ServiceClient.Header(head, "Content-MD5") is { Length: > 0 } contentMd5 && !Same(AsHex(contentMd5), received.Md5))
            throw new ImageChecksumException(id, "Content-MD5", contentMd5, received.Md5);
        Verify(image, received);
        return received;
    }

    public async Task<IReadOnlyList<ImageMember>> ListMembersAsync(string id, CancellationToken ct) =>
        await client.GetAsync<List<ImageMember>>(ImageUrls.Members(id), "members", ct).ConfigureAwait(false);

    /// <summary>Shares a (visibility "shared") image with a project, e.g. the recovery project.</summary>
    public Task<ImageMember> AddMemberAsync(string id, string projectId, CancellationToken ct) =>
        client.SendAsync<ImageMember>(new OpenStackRequest(Method.Post, ImageUrls.Members(id)) { Body = new { member = projectId } }, null, ct);

    /// <summary>The member project accepts (or rejects) the share; only then does the image show in its list.</summary>
    public Task<ImageMember> SetMemberStatusAsync(string id, string projectId, string status, CancellationToken ct) =>
        client.SendAsync<ImageMember>(new OpenStackRequest(Method.Put, ImageUrls.Member(id, projectId)) { Body = new { status } }, null, ct);

    public Task RemoveMemberAsync(string id, string projectId, CancellationToken ct) => client.DeleteAsync(ImageUrls.Member(id, projectId), ct);

    /// <summary>Waits for <paramref name="status"/> (usually active); fails fast when Glance killed the upload.</summary>
    public Task<Image> WaitForStatusAsync(string id, string status, WaitOptions? options, CancellationToken ct) =>
        Waiter.UntilAsync($"image {id} to become {status}", c => GetAsync(id, c), i =>
            i.Status == status ? WaitVerdict.Reached
            : i.Status is "killed" or "deleted" ? WaitVerdict.Failed($"image went to status {i.Status}")
            : WaitVerdict.Pending, options, client.Time, ct);

    static void Verify(Image image, ImageTransfer transfer)
    {
        if (image.Checksum is { Length: > 0 } md5 && !Same(md5, transfer.Md5))
            throw new ImageChecksumException(image.Id, "checksum (md5)", md5, transfer.Md5);
        if (image.OsHashValue is { Length: > 0 } hash && string.Equals(image.OsHashAlgo ?? "sha512", transfer.HashAlgorithm, StringComparison.OrdinalIgnoreCase)
            && !Same(hash, transfer.HashValue))
            throw new ImageChecksumException(image.Id, $"os_hash_value ({transfer.HashAlgorithm})", hash, transfer.HashValue);
    }

    /// <summary>Glance sends Content-MD5 as hex; RFC 1864 (and some proxies) as base64.</summary>
    static string AsHex(string md5)
    {
        if (md5.Length == 24 && md5.EndsWith("==", StringComparison.Ordinal))
        {
            try { return Convert.ToHexStringLower(Convert.FromBase64String(md5)); }
            catch (FormatException) { return md5; }
        }
        return md5;
    }

    static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
