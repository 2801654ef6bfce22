using System.Security.Cryptography;
using System.Text;

namespace Draas.Simulators.OpenStack.Image;

/// <summary>Glance's state of one site. Accessed only under the site's lock.</summary>
internal sealed class ImageState
{
    public Dictionary<string, Image> Images { get; } = [];
    private long _order;
    public Dictionary<string, long> Order { get; } = [];

    public void Add(Image i)
    {
        Images[i.Id] = i;
        Order[i.Id] = _order++;
    }

    /// <summary>Glance's default sort: created_at desc.</summary>
    public IEnumerable<Image> NewestFirst => Images.Values.OrderByDescending(i => Order[i.Id]);

    public void Seed(string adminProjectId, DateTimeOffset now)
    {
        var data = Encoding.ASCII.GetBytes("simulated cirros disk image\n");
        var image = new Image
        {
            Id = Guid.NewGuid().ToString(),
            Name = "cirros-0.6.2-x86_64-disk",
            Status = "active",
            Visibility = "public",
            DiskFormat = "qcow2",
            ContainerFormat = "bare",
            Owner = adminProjectId,
            CreatedAt = now,
            UpdatedAt = now,
            Properties = { ["hw_rng_model"] = "virtio" },
        };
        SetData(image, data);
        Add(image);
    }

    public static void SetData(Image image, byte[] data)
    {
        image.Data = data;
        image.Checksum = Convert.ToHexString(MD5.HashData(data)).ToLowerInvariant();
        image.HashValue = Convert.ToHexString(SHA512.HashData(data)).ToLowerInvariant();
    }
}
