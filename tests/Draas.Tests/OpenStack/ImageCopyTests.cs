using System.Security.Cryptography;
using Draas.OpenStack.Image;
using Draas.Tests.OpenStack.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.OpenStack;

public class ImageCopyTests
{
    const string G = "/image/v2/images";
    FakeCloud _siteA = null!;
    FakeCloud _siteB = null!;

    [SetUp]
    public void Start()
    {
        _siteA = new FakeCloud();
        _siteB = new FakeCloud();
    }

    [TearDown]
    public void Stop()
    {
        _siteA.Dispose();
        _siteB.Dispose();
    }

    static string ImageJson(string status, byte[] data, string visibility = "public") => $$"""
        {"id": "img-1", "name": "rhel9", "status": "{{status}}", "container_format": "bare", "disk_format": "qcow2", "visibility": "{{visibility}}",
         "size": {{data.Length}}, "checksum": "{{Convert.ToHexStringLower(MD5.HashData(data))}}", "os_hash_algo": "sha512",
         "os_hash_value": "{{Convert.ToHexStringLower(SHA512.HashData(data))}}", "min_disk": 10, "min_ram": 512, "protected": false,
         "tags": ["golden"], "owner": "p1", "created_at": "2026-11-22T10:00:00Z", "file": "/v2/images/img-1/file", "self": "/v2/images/img-1",
         "schema": "/v2/schemas/image", "hw_disk_bus": "scsi", "os_distro": "rhel", "direct_url": "rbd://pool/img-1", "os_glance_importing_to_stores": ""}
        """;

    [Test]
    public async Task An_image_is_copied_between_sites_streamed_with_its_record_and_verified_at_both_ends()
    {
        var data = new byte[200 * 1024 + 3];
        new Random(7).NextBytes(data);
        _siteA.Stub("GET", $"{G}/img-1", 200, ImageJson("active", data));
        _siteA.Server.Given(Request.Create().WithPath($"{G}/img-1/file").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream").WithBody(data));
        _siteB.Stub("POST", G, 201, ImageJson("queued", [], "private").Replace("\"size\": 0", "\"size\": null"));
        _siteB.Stub("PUT", $"{G}/img-1/file", 204);
        _siteB.Stub("GET", $"{G}/img-1", 200, ImageJson("active", data, "private"));
        using var a = _siteA.Session();
        using var b = _siteB.Session();

        var (copy, transfer) = await ImageCopy.CopyAsync(a.Image, "img-1", b.Image,
            new CopyImageOptions { ExtraProperties = new Dictionary<string, string> { ["draas:source"] = "site-a/img-1" } }, CancellationToken.None);

        Assert.That(copy.Status, Is.EqualTo("active"));
        Assert.That(transfer.Bytes, Is.EqualTo(data.Length));
        Assert.That(_siteB.Single("PUT", $"{G}/img-1/file").BodyAsBytes, Is.EqualTo(data));
        _siteB.Single("POST", G).HasJsonBody("""
            {"id": "img-1", "name": "rhel9", "container_format": "bare", "disk_format": "qcow2", "visibility": "private",
             "min_disk": 10, "min_ram": 512, "tags": ["golden"], "hw_disk_bus": "scsi", "os_distro": "rhel", "draas:source": "site-a/img-1"}
            """);
    }

    [Test]
    public void A_corrupt_download_fails_the_copy_with_the_checksum_error()
    {
        var data = new byte[5000];
        new Random(7).NextBytes(data);
        var damaged = (byte[])data.Clone();
        damaged[10] ^= 1;
        _siteA.Stub("GET", $"{G}/img-1", 200, ImageJson("active", data));
        _siteA.Server.Given(Request.Create().WithPath($"{G}/img-1/file").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream").WithBody(damaged));
        _siteB.Stub("POST", G, 201, ImageJson("queued", [], "private"));
        _siteB.Stub("PUT", $"{G}/img-1/file", 204);
        _siteB.Stub("GET", $"{G}/img-1", 200, ImageJson("active", damaged, "private"));
        using var a = _siteA.Session();
        using var b = _siteB.Session();

        Assert.ThrowsAsync<ImageChecksumException>(() => ImageCopy.CopyAsync(a.Image, "img-1", b.Image, null, CancellationToken.None));
    }
}
