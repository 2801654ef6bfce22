using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Image;

/// <summary>Glance v2 JSON shapes (api-ref image v2): a flat image object whose extra properties are
/// top-level keys, and relative links (<c>/v2/images/{id}/file</c>) as Glance prints them.</summary>
internal static class ImageViews
{
    public static readonly HashSet<string> CoreKeys =
    [
        "id", "name", "status", "visibility", "protected", "os_hidden", "checksum", "os_hash_algo", "os_hash_value", "size",
        "virtual_size", "min_disk", "min_ram", "disk_format", "container_format", "owner", "created_at", "updated_at", "tags",
        "file", "self", "schema", "locations", "direct_url",
    ];

    public static Dictionary<string, object?> Image(Image i)
    {
        var d = new Dictionary<string, object?>();
        foreach (var (k, v) in i.Properties) d[k] = v;
        d["id"] = i.Id;
        d["name"] = i.Name;
        d["status"] = i.Status;
        d["visibility"] = i.Visibility;
        d["protected"] = i.Protected;
        d["os_hidden"] = i.Hidden;
        d["checksum"] = i.Checksum;
        d["os_hash_algo"] = i.HashValue is null ? null : "sha512";
        d["os_hash_value"] = i.HashValue;
        d["size"] = i.Data?.LongLength;
        // Glance's format inspector sets it on upload when the data matches disk_format; raw always matches.
        d["virtual_size"] = i.DiskFormat == "raw" ? i.Data?.LongLength : null;
        d["min_disk"] = i.MinDisk;
        d["min_ram"] = i.MinRam;
        d["disk_format"] = i.DiskFormat;
        d["container_format"] = i.ContainerFormat;
        d["owner"] = i.Owner;
        d["created_at"] = SimJson.TimeSecZ(i.CreatedAt);
        d["updated_at"] = SimJson.TimeSecZ(i.UpdatedAt);
        d["tags"] = i.Tags;
        d["file"] = $"/v2/images/{i.Id}/file";
        d["self"] = $"/v2/images/{i.Id}";
        d["schema"] = "/v2/schemas/image";
        return d;
    }

    public static object Member(ImageMember m) => new
    {
        created_at = SimJson.TimeSecZ(m.CreatedAt),
        image_id = m.ImageId,
        member_id = m.MemberId,
        schema = "/v2/schemas/member",
        status = m.Status,
        updated_at = SimJson.TimeSecZ(m.UpdatedAt),
    };

    /// <summary>Glance's visibility rules for showing one image: admins see all; others see public and
    /// community images, their own, and shared images they are a member of.</summary>
    public static bool CanSee(Token t, Image i) =>
        t.IsAdmin || i.Visibility is "public" or "community" || i.Owner == t.Project?.Id
        || (i.Visibility == "shared" && t.Project is not null && i.Members.ContainsKey(t.Project.Id));

    /// <summary>Who may change an image: its owner's members, or an admin.</summary>
    public static bool CanChange(Token t, Image i) => t.IsAdmin || (i.Owner == t.Project?.Id && t.CanWrite);
}
