namespace Draas.OpenStack.Image;

/// <summary>The bytes that went over the wire do not hash to what Glance recorded: a corrupt copy.</summary>
public sealed class ImageChecksumException(string imageId, string which, string expected, string actual)
    : OpenStackException($"image {imageId}: {which} mismatch, Glance has {expected}, the transferred data hashes to {actual}", "image")
{
    public string ImageId { get; } = imageId;
}
