using Draas.OpenStack;
using Draas.OpenStack.Image;

namespace Draas.Tests.OpenStack.AgainstSimulator;

/// <summary>The Glance client against the simulator's Glance over HTTP: finding images page by page,
/// sharing a recovery image with a tenant's project and taking the share back.</summary>
public class ImageAgainstSimulatorTests : SimulatorFixture
{
    async Task<Image> UploadedAsync(ImageClient images, string name, string? visibility = null)
    {
        var image = await images.CreateAsync(new CreateImageOptions { Name = name, ContainerFormat = "bare", DiskFormat = "raw", Visibility = visibility }, Ct);
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("boot sector of " + name));
        await images.UploadAsync(image.Id, data, Ct);
        return await images.WaitForStatusAsync(image.Id, "active", Wait, Ct);
    }

    [Test]
    public async Task Listing_images_in_pages_smaller_than_the_count_returns_each_image_once()
    {
        using var admin = Session(SiteA.Admin);
        var prefix = Unique("paged");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await UploadedAsync(admin.Image, $"{prefix}-{i}")).Id);

        var listed = await ToListAsync(admin.Image.ListAsync(new ImageListOptions { Limit = 2 }, Ct));

        Assert.That(listed.Select(i => i.Id), Is.Unique);
        Assert.That(listed.Where(i => i.Name?.StartsWith(prefix, StringComparison.Ordinal) == true).Select(i => i.Id), Is.EquivalentTo(ids),
            "pages of 2 follow Glance's next link to the end");
        var named = await ToListAsync(admin.Image.ListAsync(new ImageListOptions { Name = $"{prefix}-4", Status = "active" }, Ct));
        Assert.That(named.Select(i => i.Id), Is.EqualTo(new[] { ids[4] }));
        Assert.That((await ToListAsync(admin.Image.ListAsync(new ImageListOptions { Visibility = "public" }, Ct))).Select(i => i.Visibility), Is.All.EqualTo("public"));
    }

    [Test]
    public async Task A_private_image_made_public_is_seen_by_another_project()
    {
        using var admin = Session(SiteA.Admin);
        using var demo = Session(SiteA.Demo);
        var image = await UploadedAsync(admin.Image, Unique("golden"), "private");
        Assert.That((await ToListAsync(demo.Image.ListAsync(null, Ct))).Select(i => i.Id), Does.Not.Contain(image.Id));

        var changed = await admin.Image.SetVisibilityAsync(image.Id, "public", Ct);

        Assert.That(changed.Visibility, Is.EqualTo("public"));
        Assert.That((await admin.Image.GetAsync(image.Id, Ct)).Visibility, Is.EqualTo("public"));
        Assert.That((await ToListAsync(demo.Image.ListAsync(new ImageListOptions { Visibility = "public" }, Ct))).Select(i => i.Id), Does.Contain(image.Id));
    }

    [Test]
    public async Task A_shared_image_is_offered_to_a_project_accepted_by_it_and_then_withdrawn()
    {
        using var admin = Session(SiteA.Admin);
        using var demo = Session(SiteA.Demo);
        var demoProject = (await demo.GetTokenInfoAsync(Ct)).Project!.Id;
        var image = await UploadedAsync(admin.Image, Unique("shared"), "shared");

        var offered = await admin.Image.AddMemberAsync(image.Id, demoProject, Ct);
        Assert.That((offered.ImageId, offered.MemberId, offered.Status), Is.EqualTo((image.Id, demoProject, "pending")));
        Assert.That((await admin.Image.ListMembersAsync(image.Id, Ct)).Select(m => m.MemberId), Is.EqualTo(new[] { demoProject }));

        var accepted = await demo.Image.SetMemberStatusAsync(image.Id, demoProject, "accepted", Ct);
        Assert.That(accepted.Status, Is.EqualTo("accepted"));
        Assert.That((await admin.Image.ListMembersAsync(image.Id, Ct)).Single().Status, Is.EqualTo("accepted"));
        Assert.That((await ToListAsync(demo.Image.ListAsync(new ImageListOptions { Visibility = "shared", MemberStatus = "accepted" }, Ct))).Select(i => i.Id), Does.Contain(image.Id));

        await admin.Image.RemoveMemberAsync(image.Id, demoProject, Ct);
        Assert.That(await admin.Image.ListMembersAsync(image.Id, Ct), Is.Empty);
        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => demo.Image.GetAsync(image.Id, Ct))!.IsNotFound, Is.True, "no longer visible to the project");
    }

    [Test]
    public async Task A_deleted_image_is_gone()
    {
        using var admin = Session(SiteA.Admin);
        var image = await UploadedAsync(admin.Image, Unique("old"));

        await admin.Image.DeleteAsync(image.Id, Ct);

        Assert.That(Assert.ThrowsAsync<OpenStackException>(() => admin.Image.GetAsync(image.Id, Ct))!.IsNotFound, Is.True);
    }
}
