using System.IO.Pipelines;
using System.Text.Json;

namespace Draas.OpenStack.Image;

/// <summary>
/// Copies an image from one site's Glance to another's: the record (formats, sizes, tags, custom
/// properties) and the data, streamed from the download straight into the upload through a small
/// bounded pipe, so neither the disk nor memory ever holds the whole image. The data is verified
/// twice: against the source's hashes as it arrives and against the target's after upload.
/// </summary>
public static class ImageCopy
{
    /// <summary>Keys Glance manages itself or that only mean something on the source cloud.</summary>
    static readonly HashSet<string> NotCopied = ["locations", "direct_url", "stores"];

    const long PipeHighWater = 4 * 1024 * 1024;

    public static async Task<(Image Target, ImageTransfer Transfer)> CopyAsync(ImageClient source, string imageId, ImageClient target,
        CopyImageOptions? options, CancellationToken ct)
    {
        var o = options ?? new CopyImageOptions();
        var original = await source.GetAsync(imageId, ct).ConfigureAwait(false);
        if (original.Status != "active")
            throw new InvalidOperationException($"image {imageId} is {original.Status}; only an active image has data to copy");

        var created = await target.CreateAsync(RecordFor(original, o), ct).ConfigureAwait(false);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipeHighWater, resumeWriterThreshold: PipeHighWater / 2));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var download = Task.Run(async () =>
        {
            var writer = pipe.Writer.AsStream();
            try
            {
                await source.DownloadAsync(imageId, writer, linked.Token).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The upload then fails reading the pipe; cancel it rather than let it wait for data.
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                await linked.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, linked.Token);
        var upload = Task.Run(async () =>
        {
            try
            {
                return await target.UploadAsync(created.Id, pipe.Reader.AsStream(), linked.Token, original.OsHashAlgo ?? "sha512").ConfigureAwait(false);
            }
            catch
            {
                // Stop the download too, instead of letting it read the rest of the image into a closed pipe.
                await linked.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            }
        }, linked.Token);

        try
        {
            await Task.WhenAll(download, upload).ConfigureAwait(false);
        }
        catch when (download.IsFaulted)
        {
            await download.ConfigureAwait(false); // the download's error is the cause; the upload's is its echo
        }
        var copied = await target.GetAsync(created.Id, ct).ConfigureAwait(false);
        return (copied, await upload.ConfigureAwait(false));
    }

    static CreateImageOptions RecordFor(Image original, CopyImageOptions o) => new()
    {
        Id = o.KeepId ? original.Id : null,
        Name = o.Name ?? original.Name,
        ContainerFormat = original.ContainerFormat,
        DiskFormat = original.DiskFormat,
        Visibility = o.Visibility ?? "private",
        MinDisk = original.MinDisk,
        MinRam = original.MinRam,
        Tags = original.Tags,
        Properties = original.Properties
            .Where(p => !NotCopied.Contains(p.Key) && !p.Key.StartsWith("os_glance", StringComparison.Ordinal))
            .Concat(o.ExtraProperties.Select(p => KeyValuePair.Create(p.Key, JsonSerializer.SerializeToElement(p.Value))))
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => (object)g.Last().Value),
    };
}

public sealed record CopyImageOptions
{
    /// <summary>Create the copy with the source's id, so references in a manifest still hold.</summary>
    public bool KeepId { get; init; } = true;
    public string? Name { get; init; }
    /// <summary>private unless said otherwise: a copy is shared deliberately, not by accident.</summary>
    public string? Visibility { get; init; }
    /// <summary>Added to (or overriding) the copied custom properties, e.g. draas:source.</summary>
    public IReadOnlyDictionary<string, string> ExtraProperties { get; init; } = new Dictionary<string, string>();
}
