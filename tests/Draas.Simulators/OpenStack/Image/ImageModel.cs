namespace Draas.Simulators.OpenStack.Image;

public sealed class Image
{
    public required string Id { get; init; }
    public string? Name { get; set; }
    public required string Status { get; set; }
    public required string Visibility { get; set; }
    public bool Protected { get; set; }
    public string? DiskFormat { get; set; }
    public string? ContainerFormat { get; set; }
    public int MinDisk { get; set; }
    public int MinRam { get; set; }
    public required string Owner { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<string> Tags { get; init; } = [];
    public bool Hidden { get; set; }

    /// <summary>Extra properties: Glance prints them as top-level keys of the image.</summary>
    public Dictionary<string, string> Properties { get; init; } = [];
    public byte[]? Data { get; set; }
    public string? Checksum { get; set; }
    public string? HashValue { get; set; }
    public Dictionary<string, ImageMember> Members { get; } = [];
}

public sealed class ImageMember
{
    public required string MemberId { get; init; }
    public required string ImageId { get; init; }
    public string Status { get; set; } = "pending";
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
