using System.Security.Cryptography;

namespace Draas.OpenStack.Image;

/// <summary>
/// Hashes what passes through it, MD5 (Glance's checksum) and the multihash algorithm at once,
/// so an image is verified without ever being held whole in memory.
/// </summary>
internal sealed class ImageHasher : IDisposable
{
    readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    readonly IncrementalHash _multihash;

    public ImageHasher(string algorithm)
    {
        Algorithm = algorithm;
        _multihash = IncrementalHash.CreateHash(algorithm.ToLowerInvariant() switch
        {
            "sha512" => HashAlgorithmName.SHA512,
            "sha384" => HashAlgorithmName.SHA384,
            "sha256" => HashAlgorithmName.SHA256,
            "sha1" => HashAlgorithmName.SHA1,
            "md5" => HashAlgorithmName.MD5,
            _ => throw new NotSupportedException($"image hash algorithm '{algorithm}' is not supported"),
        });
    }

    public string Algorithm { get; }
    public long Bytes { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _md5.AppendData(data);
        _multihash.AppendData(data);
        Bytes += data.Length;
    }

    public ImageTransfer Finish() =>
        new(Bytes, Convert.ToHexStringLower(_md5.GetHashAndReset()), Algorithm, Convert.ToHexStringLower(_multihash.GetHashAndReset()));

    public void Dispose()
    {
        _md5.Dispose();
        _multihash.Dispose();
    }
}

/// <summary>A read-only pass-through that feeds an <see cref="ImageHasher"/>; used as the body of an upload.</summary>
internal sealed class HashingReadStream(Stream source, ImageHasher hasher) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => hasher.Bytes; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        hasher.Append(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
        hasher.Append(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
