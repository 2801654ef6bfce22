using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.OpenStack.Image;

/// <summary>A Glance v2 image. Glance puts custom properties beside the standard ones; they land in <see cref="Properties"/>.</summary>
public sealed record Image
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    /// <summary>queued, saving, active, killed, deleted, deactivated, importing, uploading.</summary>
    public string Status { get; init; } = "";
    public string? ContainerFormat { get; init; }
    public string? DiskFormat { get; init; }
    public string? Visibility { get; init; }
    public long? Size { get; init; }
    public long? VirtualSize { get; init; }
    /// <summary>MD5 of the data (legacy, still set).</summary>
    public string? Checksum { get; init; }
    /// <summary>The "multihash" algorithm, sha512 by default.</summary>
    public string? OsHashAlgo { get; init; }
    public string? OsHashValue { get; init; }
    public int MinDisk { get; init; }
    public int MinRam { get; init; }
    public bool Protected { get; init; }
    public bool OsHidden { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Owner { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? File { get; init; }
    public string? Self { get; init; }
    public string? Schema { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Properties { get; init; } = [];
}

/// <summary>POST /v2/images: the record an upload then fills.</summary>
public sealed record CreateImageOptions
{
    public string? Name { get; init; }
    /// <summary>Keep the primary's id so a recovered server's image reference still holds.</summary>
    public string? Id { get; init; }
    public string? ContainerFormat { get; init; }
    public string? DiskFormat { get; init; }
    public string? Visibility { get; init; }
    public int? MinDisk { get; init; }
    public int? MinRam { get; init; }
    public bool? Protected { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Custom properties (hw_disk_bus, os_distro, draas:source …), sent as top-level keys.</summary>
    [JsonExtensionData]
    public Dictionary<string, object>? Properties { get; init; }
}

public sealed record ImageListOptions
{
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Visibility { get; init; }
    public string? Owner { get; init; }
    public string? Tag { get; init; }
    public string? MemberStatus { get; init; }
    public int? Limit { get; init; }
    public string? Marker { get; init; }
}

/// <summary>A project an image is shared with.</summary>
public sealed record ImageMember
{
    public string ImageId { get; init; } = "";
    public string MemberId { get; init; } = "";
    /// <summary>pending, accepted, rejected.</summary>
    public string Status { get; init; } = "";
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>What went over the wire in an upload or download, hashed on the way.</summary>
public sealed record ImageTransfer(long Bytes, string Md5, string HashAlgorithm, string HashValue);
