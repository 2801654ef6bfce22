using System.Security.Cryptography;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Image;
using Draas.Tests.OpenStack.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Draas.Tests.OpenStack;

public class ImageTests : FakeCloudTests
{
    const string G = "/image/v2/images";

    static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(42).NextBytes(data);
        return data;
    }

    static string ImageJson(string id, string status, byte[]? data = null, string? md5 = null, string? sha512 = null) => $$"""
        {"id": "{{id}}", "name": "cirros", "status": "{{status}}", "container_format": "bare", "disk_format": "qcow2",
         "visibility": "private", "size": {{(data?.Length.ToString() ?? "null")}}, "virtual_size": null,
         "checksum": {{Q(md5 ?? (data is null ? null : Convert.ToHexStringLower(MD5.HashData(data))))}},
         "os_hash_algo": {{(data is null ? "null" : "\"sha512\"")}},
         "os_hash_value": {{Q(sha512 ?? (data is null ? null : Convert.ToHexStringLower(SHA512.HashData(data))))}},
         "min_disk": 1, "min_ram": 0, "protected": false, "os_hidden": false, "tags": ["draas"], "owner": "p1",
         "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:05Z",
         "file": "/v2/images/{{id}}/file", "self": "/v2/images/{{id}}", "schema": "/v2/schemas/image",
         "hw_disk_bus": "virtio", "draas:source": "site-a/{{id}}"}
        """;

    static string Q(string? value) => value is null ? "null" : $"\"{value}\"";

    [Test]
    public async Task Image_list_follows_glances_relative_next_link_under_the_endpoint_prefix()
    {
        Cloud.Server.Given(Request.Create().WithPath(G).UsingGet().WithParam("marker", "i2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"images": [{{ImageJson("i3", "active")}}], "first": "/v2/images", "schema": "/v2/schemas/images"}"""));
        Cloud.Server.Given(Request.Create().WithPath(G).UsingGet()).AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""
                    {"images": [{{ImageJson("i1", "active")}}, {{ImageJson("i2", "active")}}],
                     "first": "/v2/images?limit=2", "next": "/v2/images?limit=2&marker=i2", "schema": "/v2/schemas/images"}
                    """));

        var images = await Session.Image.ListAsync(new ImageListOptions { Limit = 2, Visibility = "private" }, CancellationToken.None).ToListAsync();

        Assert.That(images.Select(i => i.Id), Is.EqualTo(new[] { "i1", "i2", "i3" }));
        Assert.That(images[0].Properties["hw_disk_bus"].GetString(), Is.EqualTo("virtio"), "custom properties are kept");
        var requests = Cloud.Requests("GET", G);
        Assert.That(requests[0].Query("visibility"), Is.EqualTo("private"));
        Assert.That(requests[1].Query("marker"), Is.EqualTo("i2"));
        Assert.That(requests[1].Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [Test]
    public async Task An_image_record_is_created_with_its_custom_properties_at_the_top_level()
    {
        Cloud.Stub("POST", G, 201, ImageJson("i1", "queued"));

        var image = await Session.Image.CreateAsync(new CreateImageOptions
        {
            Name = "cirros",
            Id = "i1",
            ContainerFormat = "bare",
            DiskFormat = "qcow2",
            Visibility = "private",
            MinDisk = 1,
            Tags = ["draas"],
            Properties = new() { ["hw_disk_bus"] = "virtio", ["draas:source"] = "site-a/i1" },
        }, CancellationToken.None);

        Assert.That(image.Status, Is.EqualTo("queued"));
        var request = Cloud.Single("POST", G);
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
        request.HasJsonBody("""
            {"name": "cirros", "id": "i1", "container_format": "bare", "disk_format": "qcow2", "visibility": "private",
             "min_disk": 1, "tags": ["draas"], "hw_disk_bus": "virtio", "draas:source": "site-a/i1"}
            """);
    }

    [Test]
    public async Task Upload_streams_the_data_as_octets_and_checks_glance_recorded_its_hashes()
    {
        var data = Data(400 * 1024 + 17);
        Cloud.Stub("PUT", $"{G}/i1/file", 204);
        Cloud.Stub("GET", $"{G}/i1", 200, ImageJson("i1", "active", data));
        var source = new ChunkCountingStream(data);

        var sent = await Session.Image.UploadAsync("i1", source, CancellationToken.None);

        var request = Cloud.Single("PUT", $"{G}/i1/file");
        Assert.That(request.Header("Content-Type"), Is.EqualTo("application/octet-stream"));
        Assert.That(request.Header("OpenStack-API-Version"), Is.Null, "Glance has no microversions");
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
        Assert.That(request.BodyAsBytes, Is.EqualTo(data));
        Assert.That(sent.Bytes, Is.EqualTo(data.Length));
        Assert.That(sent.HashValue, Is.EqualTo(Convert.ToHexStringLower(SHA512.HashData(data))));
        Assert.That(source.Reads, Is.GreaterThan(1), "read in chunks, not at once");
        Assert.That(source.LargestRead, Is.LessThanOrEqualTo(1024 * 1024));
    }

    [Test]
    public void Upload_whose_hash_glance_recorded_differently_is_reported_corrupt()
    {
        var data = Data(1000);
        Cloud.Stub("PUT", $"{G}/i1/file", 204);
        Cloud.Stub("GET", $"{G}/i1", 200, ImageJson("i1", "active", data, sha512: new string('0', 128)));

        var error = Assert.ThrowsAsync<ImageChecksumException>(() => Session.Image.UploadAsync("i1", new MemoryStream(data), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("os_hash_value"));
    }

    [Test]
    public void A_failed_upload_is_not_retried_because_the_stream_is_spent()
    {
        Cloud.Stub("PUT", $"{G}/i1/file", 503, "<html>503 Service Unavailable</html>");

        Assert.ThrowsAsync<Draas.OpenStack.OpenStackException>(() => Session.Image.UploadAsync("i1", new MemoryStream(Data(100)), CancellationToken.None));

        Assert.That(Cloud.Requests("PUT", $"{G}/i1/file"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Download_streams_chunk_by_chunk_into_the_destination_and_verifies_every_hash()
    {
        var data = Data(300 * 1024 + 5);
        var md5 = Convert.ToHexStringLower(MD5.HashData(data));
        Cloud.Stub("GET", $"{G}/i1", 200, ImageJson("i1", "active", data));
        Cloud.Server.Given(Request.Create().WithPath($"{G}/i1/file").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream")
                .WithHeader("Content-MD5", md5).WithBody(data));
        var destination = new WriteRecordingStream();

        var received = await Session.Image.DownloadAsync("i1", destination, CancellationToken.None);

        Assert.That(destination.ToArray(), Is.EqualTo(data));
        Assert.That(received.Md5, Is.EqualTo(md5));
        Assert.That(destination.Writes, Is.GreaterThan(1));
        Assert.That(destination.LargestWrite, Is.LessThanOrEqualTo(81920));
        var request = Cloud.Single("GET", $"{G}/i1/file");
        Assert.That(request.Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
        Assert.That(request.Header("Accept"), Is.EqualTo("application/octet-stream"));
    }

    [Test]
    public void A_download_that_arrives_damaged_fails_the_checksum()
    {
        var data = Data(5000);
        var damaged = (byte[])data.Clone();
        damaged[4000] ^= 0xFF;
        Cloud.Stub("GET", $"{G}/i1", 200, ImageJson("i1", "active", data));
        Cloud.Server.Given(Request.Create().WithPath($"{G}/i1/file").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/octet-stream").WithBody(damaged));

        var error = Assert.ThrowsAsync<ImageChecksumException>(() => Session.Image.DownloadAsync("i1", new MemoryStream(), CancellationToken.None));

        Assert.That(error!.ImageId, Is.EqualTo("i1"));
    }

    [Test]
    public void A_download_glance_refuses_is_an_openstack_error_with_its_status()
    {
        Cloud.Stub("GET", $"{G}/i1", 200, ImageJson("i1", "active", Data(10)));
        Cloud.Stub("GET", $"{G}/i1/file", 403, "403 Forbidden\n\nYou are not authorized to complete get_image_data action.");

        var error = Assert.ThrowsAsync<Draas.OpenStack.OpenStackException>(() => Session.Image.DownloadAsync("i1", new MemoryStream(), CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Forbidden));
        Assert.That(error.ServiceMessage, Does.Contain("not authorized"));
    }

    [Test]
    public async Task Sharing_an_image_sets_visibility_adds_the_member_and_accepts()
    {
        Cloud.Stub("PATCH", $"{G}/i1", 200, ImageJson("i1", "active"));
        Cloud.Stub("POST", $"{G}/i1/members", 200, """
            {"created_at": "2026-11-22T10:00:00Z", "image_id": "i1", "member_id": "p2", "schema": "/v2/schemas/member", "status": "pending", "updated_at": "2026-11-22T10:00:00Z"}
            """);
        Cloud.Stub("PUT", $"{G}/i1/members/p2", 200, """{"image_id": "i1", "member_id": "p2", "status": "accepted"}""");
        Cloud.Stub("GET", $"{G}/i1/members", 200, """{"members": [{"image_id": "i1", "member_id": "p2", "status": "accepted"}], "schema": "/v2/schemas/members"}""");
        Cloud.Stub("DELETE", $"{G}/i1/members/p2", 204);
        Cloud.Stub("DELETE", $"{G}/i1", 204);

        await Session.Image.SetVisibilityAsync("i1", "shared", CancellationToken.None);
        var added = await Session.Image.AddMemberAsync("i1", "p2", CancellationToken.None);
        var accepted = await Session.Image.SetMemberStatusAsync("i1", "p2", "accepted", CancellationToken.None);
        var members = await Session.Image.ListMembersAsync("i1", CancellationToken.None);
        await Session.Image.RemoveMemberAsync("i1", "p2", CancellationToken.None);
        await Session.Image.DeleteAsync("i1", CancellationToken.None);

        Assert.That(added.Status, Is.EqualTo("pending"));
        Assert.That(accepted.Status, Is.EqualTo("accepted"));
        Assert.That(members.Single().MemberId, Is.EqualTo("p2"));
        var patch = Cloud.Single("PATCH", $"{G}/i1");
        Assert.That(patch.Header("Content-Type"), Does.StartWith("application/openstack-images-v2.1-json-patch"));
        Assert.That(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(patch.Body!),
            System.Text.Json.Nodes.JsonNode.Parse("""[{"op": "replace", "path": "/visibility", "value": "shared"}]""")), Is.True, patch.Body);
        Cloud.Single("POST", $"{G}/i1/members").HasJsonBody("""{"member": "p2"}""");
        Cloud.Single("PUT", $"{G}/i1/members/p2").HasJsonBody("""{"status": "accepted"}""");
        Assert.That(Cloud.Single("DELETE", $"{G}/i1").Header("X-Auth-Token"), Is.EqualTo(FakeCloud.ServiceToken));
    }

    [Test]
    public void Waiting_for_an_image_fails_fast_when_glance_killed_it()
    {
        Cloud.StubSequence("GET", $"{G}/i1", (200, ImageJson("i1", "saving"), []), (200, ImageJson("i1", "killed"), []));

        var error = Assert.ThrowsAsync<Draas.OpenStack.Core.ResourceFailedException>(() =>
            Session.Image.WaitForStatusAsync("i1", "active", null, CancellationToken.None));

        Assert.That(error!.Failure, Does.Contain("killed"));
    }

    /// <summary>A non-seekable source that records how it is read.</summary>
    sealed class ChunkCountingStream(byte[] data) : Stream
    {
        int _position;
        public int Reads { get; private set; }
        public int LargestRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            LargestRead = Math.Max(LargestRead, count);
            var n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    sealed class WriteRecordingStream : MemoryStream
    {
        public int Writes { get; private set; }
        public int LargestWrite { get; private set; }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            return base.WriteAsync(buffer, ct);
        }
    }
}
