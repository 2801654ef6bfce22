namespace Draas.OpenStack.Image;

/// <summary>Glance v2 paths, relative to the catalog endpoint (which has no version: http://host:9292).</summary>
internal static class ImageUrls
{
    public const string Images = "v2/images";
    public static string Image(string id) => $"v2/images/{E(id)}";
    public static string File(string id) => $"v2/images/{E(id)}/file";
    public static string Members(string id) => $"v2/images/{E(id)}/members";
    public static string Member(string id, string memberId) => $"v2/images/{E(id)}/members/{E(memberId)}";

    static string E(string segment) => Uri.EscapeDataString(segment);
}
