using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Draas.OpenStack;
using Draas.OpenStack.BlockStorage.Manage;
using Draas.OpenStack.BlockStorage.Snapshots;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.BlockStorage.VolumeTypes;
using Draas.OpenStack.Compute.Attachments;
using Draas.OpenStack.Compute.Flavors;
using Draas.OpenStack.Compute.Servers;
using Draas.OpenStack.Core;
using Draas.OpenStack.Identity;
using Draas.OpenStack.Image;

namespace Draas.Tests.RealCloud;

/// <summary>
/// The client scenarios DR depends on, one body each, run by two fixtures: <see cref="SimulatorCloudScenarios"/>
/// against the in-process OpenStack simulator (always) and <see cref="RealCloudScenarios"/> against the real
/// Keystone, Nova, Cinder and Glance that tests/realcloud/up.sh starts (category RealCloud, run by
/// ./tox -e realcloud). Where the two disagree the real service is right and the simulator gets fixed.
/// </summary>
public abstract partial class CloudScenarios
{
    /// <summary>Two started sites; called once per fixture.</summary>
    protected abstract Task<CloudTarget> StartTargetAsync(CancellationToken ct);

    CloudTarget? _target;
    CloudTarget Cloud => _target ?? throw new InvalidOperationException("the fixture did not start its cloud");
    CancellationTokenSource _timeout = null!;
    CancellationToken Ct => _timeout.Token;
    WaitOptions Wait => Cloud.Wait;

    [OneTimeSetUp]
    public async Task StartCloud()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _target = await StartTargetAsync(cts.Token);
    }

    [OneTimeTearDown]
    public async Task StopCloud()
    {
        if (_target is not null) await _target.DisposeAsync();
    }

    [SetUp]
    public void StartClock() => _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

    [TearDown]
    public void StopClock() => _timeout.Dispose();

    static string Unique(string what) => $"draas-rt-{what}-{Guid.NewGuid():N}"[..32];

    // ---------------------------------------------------------------- Keystone

    [Test]
    public async Task Password_auth_gives_a_project_scoped_token_whose_catalog_finds_every_service()
    {
        using var admin = Cloud.Site1.AdminSession();

        var token = await admin.GetTokenInfoAsync(Ct);

        Assert.That(token.Methods, Does.Contain("password"));
        Assert.That(token.Project?.Name, Is.EqualTo("admin"));
        Assert.That(token.Roles.Select(r => r.Name), Does.Contain("admin"));
        Assert.That(token.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(10)));
        var volume = await admin.GetEndpointAsync("volumev3", Ct);
        Assert.That(volume.AbsolutePath.TrimEnd('/'), Does.EndWith("/v3/" + token.Project!.Id), "Cinder's endpoint carries the project id");
        Assert.That(await admin.GetEndpointAsync("image", Ct), Is.Not.Null);
        Assert.That(await admin.GetEndpointAsync("identity", Ct), Is.Not.Null);
        if (Cloud.Site1.HasCompute) Assert.That(await admin.GetEndpointAsync("compute", Ct), Is.Not.Null);
        Assert.ThrowsAsync<CatalogEndpointNotFoundException>(() => admin.GetEndpointAsync("no-such-service", Ct));
    }

    [Test]
    public async Task Application_credential_auth_acts_in_the_project_the_credential_was_made_in()
    {
        using var member = Cloud.Site1.MemberSession();
        var memberToken = await member.GetTokenInfoAsync(Ct);
        var credentials = Cloud.Site1.MemberOptions().AuthUrl.TrimEnd('/') + $"/users/{memberToken.User.Id}/application_credentials";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var create = new HttpRequestMessage(HttpMethod.Post, credentials)
        {
            // With a length, not chunked: Keystone under uwsgi's http-socket reads a chunked body as empty (400).
            Content = new StringContent(new JsonObject { ["application_credential"] = new JsonObject { ["name"] = Unique("appcred"), ["description"] = "RealCloud scenario" } }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Auth-Token", await member.GetTokenAsync(Ct));
        using var created = await http.SendAsync(create, Ct);
        var body = await created.Content.ReadAsStringAsync(Ct);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        var credential = JsonNode.Parse(body)!["application_credential"]!;
        var id = credential["id"]!.GetValue<string>();
        try
        {
            var options = Cloud.Site1.MemberOptions();
            var byCredential = new KeystoneSessionOptions
            {
                AuthUrl = options.AuthUrl,
                Region = options.Region,
                ApplicationCredentialId = id,
                ApplicationCredentialSecret = credential["secret"]!.GetValue<string>(),
            };
            using var session = new KeystoneSession(byCredential);

            var token = await session.GetTokenInfoAsync(Ct);

            Assert.That(token.Methods, Does.Contain("application_credential"));
            Assert.That(token.User.Id, Is.EqualTo(memberToken.User.Id));
            Assert.That(token.Project?.Id, Is.EqualTo(memberToken.Project!.Id));
            var volumes = await session.BlockStorage.Volumes.ListAsync(null, Ct).ToListAsync(Ct);
            Assert.That(volumes, Is.Not.Null, "the credential's token works against Cinder");
        }
        finally
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{credentials}/{id}");
            delete.Headers.Add("X-Auth-Token", await member.GetTokenAsync(Ct));
            using var deleted = await http.SendAsync(delete, Ct);
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    [Test]
    public async Task The_services_token_validates_a_members_token_and_another_sites_keystone_rejects_it()
    {
        using var service = Cloud.Site1.AdminSession();
        using var otherSite = Cloud.Site2.AdminSession();
        using var member = Cloud.Site1.MemberSession();
        var memberToken = await member.GetTokenAsync(Ct);

        var validated = await new KeystoneTokenValidator(service).ValidateAsync(memberToken, Ct);

        Assert.That(validated, Is.Not.Null);
        Assert.That(validated!.UserName, Is.EqualTo("demo"));
        Assert.That(validated.ProjectName, Is.EqualTo("demo"));
        Assert.That(validated.Roles, Does.Contain("member"));
        Assert.That(validated.Roles, Does.Not.Contain("admin"));
        Assert.That(validated.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow));
        Assert.That(await new KeystoneTokenValidator(service).ValidateAsync("gAAAAABnot-a-real-token", Ct), Is.Null);
        Assert.That(await new KeystoneTokenValidator(otherSite).ValidateAsync(memberToken, Ct), Is.Null, "site 2 does not know site 1's tokens");
    }

    [Test]
    public async Task A_project_is_created_a_member_role_granted_and_the_member_can_scope_to_it()
    {
        using var admin = Cloud.Site1.AdminSession();
        var name = Unique("project");
        var project = await admin.Identity.CreateProjectAsync(new CreateProjectOptions { Name = name, DomainId = "default", Description = "DR drill target" }, Ct);
        try
        {
            var role = await admin.Identity.ListRolesAsync("member", Ct).SingleAsync(Ct);
            var demo = await admin.Identity.ListUsersAsync("demo", null, Ct).SingleAsync(Ct);

            await admin.Identity.GrantProjectRoleAsync(project.Id, demo.Id, role.Id, Ct);

            Assert.That(project.Name, Is.EqualTo(name));
            Assert.That((await admin.Identity.GetProjectAsync(project.Id, Ct)).Enabled, Is.True);
            var assignments = await admin.Identity.ListProjectRoleAssignmentsAsync(project.Id, demo.Id, Ct).ToListAsync(Ct);
            Assert.That(assignments.Select(a => a.Role.Id), Does.Contain(role.Id));
            var scoped = Cloud.Site1.MemberOptions();
            scoped.ProjectName = name;
            using var member = new KeystoneSession(scoped);
            var token = await member.GetTokenInfoAsync(Ct);
            Assert.That(token.Project?.Id, Is.EqualTo(project.Id));
            Assert.That(token.Roles.Select(r => r.Name), Does.Contain("member"));
        }
        finally
        {
            await admin.Identity.DeleteProjectAsync(project.Id, Ct);
        }
        Assert.ThrowsAsync(Is.InstanceOf<OpenStackException>().With.Property(nameof(OpenStackException.StatusCode)).EqualTo(HttpStatusCode.NotFound),
            () => admin.Identity.GetProjectAsync(project.Id, Ct));
    }

    // ---------------------------------------------------------------- Nova

    [Test]
    public async Task A_server_boots_from_a_volume_without_networks_takes_a_data_volume_and_lets_it_go_and_is_deleted()
    {
        var site = Cloud.Site1;
        Assume.That(site.HasCompute, "site 1 runs no Nova");
        using var admin = site.AdminSession();
        var volumes = admin.BlockStorage.Volumes;
        var flavor = await admin.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = Unique("flavor"), Ram = 512, Vcpus = 1, Disk = 1 }, Ct);
        var boot = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("boot") }, Ct);
        var data = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("data") }, Ct);
        string? serverId = null;
        try
        {
            await volumes.WaitForStatusAsync(boot.Id, "available", Wait, Ct);
            await volumes.WaitForStatusAsync(data.Id, "available", Wait, Ct);
            await volumes.SetBootableAsync(boot.Id, true, Ct);
            Assert.That((await volumes.GetAsync(boot.Id, Ct)).Bootable, Is.True);

            var created = await admin.Compute.Servers.CreateAsync(new CreateServerOptions
            {
                Name = Unique("server"),
                FlavorRef = flavor.Id,
                BlockDeviceMappingV2 = [BlockDeviceMapping.BootVolume(boot.Id)],
                Networks = ServerNetworks.None,
            }, Ct);
            serverId = created.Id;
            var server = await admin.Compute.Servers.WaitForStatusAsync(serverId, "ACTIVE", Wait, Ct);

            Assert.That(server.ImageId, Is.Null, "booted from a volume, not an image");
            Assert.That((await volumes.WaitForStatusAsync(boot.Id, "in-use", Wait, Ct)).Attachments.Single().ServerId, Is.EqualTo(serverId));

            var attachment = await admin.Compute.VolumeAttachments.AttachAsync(serverId, new AttachVolumeOptions { VolumeId = data.Id }, Ct);
            Assert.That(attachment.VolumeId, Is.EqualTo(data.Id));
            var attached = await volumes.WaitForStatusAsync(data.Id, "in-use", Wait, Ct);
            Assert.That(attached.Attachments.Single().ServerId, Is.EqualTo(serverId));
            var listed = await admin.Compute.VolumeAttachments.ListAsync(serverId, Ct);
            Assert.That(listed.Select(a => a.VolumeId), Is.EquivalentTo(new[] { boot.Id, data.Id }));

            await admin.Compute.VolumeAttachments.DetachAsync(serverId, data.Id, Ct);
            Assert.That((await volumes.WaitForStatusAsync(data.Id, "available", Wait, Ct)).Attachments, Is.Empty);
            Assert.That((await admin.Compute.VolumeAttachments.ListAsync(serverId, Ct)).Select(a => a.VolumeId), Is.EqualTo(new[] { boot.Id }));

            await admin.Compute.Servers.DeleteAsync(serverId, Ct);
            await admin.Compute.Servers.WaitForDeletedAsync(serverId, Wait, Ct);
            serverId = null;
            Assert.That((await volumes.WaitForStatusAsync(boot.Id, "available", Wait, Ct)).Attachments, Is.Empty, "the boot volume outlives the server");
        }
        finally
        {
            if (serverId is not null) await Quietly(async () => { await admin.Compute.Servers.DeleteAsync(serverId, Ct); await admin.Compute.Servers.WaitForDeletedAsync(serverId, Wait, Ct); });
            await Quietly(() => DeleteVolumeAsync(admin, boot.Id));
            await Quietly(() => DeleteVolumeAsync(admin, data.Id));
            await Quietly(() => admin.Compute.Flavors.DeleteAsync(flavor.Id, Ct));
        }
    }

    // ---------------------------------------------------------------- Cinder

    [Test]
    public async Task Quota_usage_at_Cinder_and_Nova_counts_a_volume_the_project_holds()
    {
        using var admin = Cloud.Site1.AdminSession();
        var project = (await admin.GetTokenInfoAsync(Ct)).Project!.Id;
        var before = await admin.BlockStorage.Admin.GetQuotaUsageAsync(project, Ct);
        var volume = await admin.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("quota") }, Ct);
        try
        {
            await admin.BlockStorage.Volumes.WaitForStatusAsync(volume.Id, "available", Wait, Ct);
            var after = await admin.BlockStorage.Admin.GetQuotaUsageAsync(project, Ct);
            Assert.That(after["volumes"].InUse, Is.EqualTo(before["volumes"].InUse + 1));
            Assert.That(after["gigabytes"].InUse, Is.EqualTo(before["gigabytes"].InUse + 1));
            var compute = await admin.Compute.Admin.GetQuotaUsageAsync(project, Ct);
            Assert.That(compute.Keys, Is.SupersetOf(new[] { "instances", "cores", "ram" }));
            // Nova's count is the project's servers, as its own list shows them.
            var servers = await admin.Compute.Servers.ListAsync(new ServerListOptions { AllTenants = true, ProjectId = project }, Ct).CountAsync(Ct);
            Assert.That(compute["instances"].InUse, Is.EqualTo(servers));
        }
        finally
        {
            await DeleteVolumeAsync(admin, volume.Id);
        }
    }

    [Test]
    public async Task A_volume_is_created_snapshotted_and_both_are_deleted()
    {
        using var admin = Cloud.Site1.AdminSession();
        var volumes = admin.BlockStorage.Volumes;
        var volume = await volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("vol"), Metadata = new Dictionary<string, string> { ["draas:protect"] = "true" } }, Ct);
        try
        {
            var available = await volumes.WaitForStatusAsync(volume.Id, "available", Wait, Ct);
            Assert.That(available.Size, Is.EqualTo(1));
            Assert.That(available.Metadata["draas:protect"], Is.EqualTo("true"));
            Assert.That(available.Host, Does.StartWith(Cloud.Site1.BackendHost.Split('#')[0]));

            var snapshot = await admin.BlockStorage.Snapshots.CreateAsync(new CreateSnapshotOptions { VolumeId = volume.Id, Name = Unique("snap") }, Ct);
            var done = await admin.BlockStorage.Snapshots.WaitForStatusAsync(snapshot.Id, "available", Wait, Ct);
            Assert.That(done.VolumeId, Is.EqualTo(volume.Id));
            Assert.That(done.Size, Is.EqualTo(1));
            var listed = await admin.BlockStorage.Snapshots.ListAsync(volume.Id, null, Ct).ToListAsync(Ct);
            Assert.That(listed.Select(s => s.Id), Is.EqualTo(new[] { snapshot.Id }));

            await admin.BlockStorage.Snapshots.DeleteAsync(snapshot.Id, Ct);
            await Waiter.UntilGoneAsync($"snapshot {snapshot.Id}", ct => admin.BlockStorage.Snapshots.GetAsync(snapshot.Id, ct),
                s => s.Status == "error_deleting" ? WaitVerdict.Failed(s.Status) : WaitVerdict.Pending, Wait, admin.Time, Ct);
        }
        finally
        {
            await DeleteVolumeAsync(admin, volume.Id);
        }
        Assert.That(await volumes.ListAsync(null, Ct).AnyAsync(v => v.Id == volume.Id, Ct), Is.False);
    }

    [Test]
    public async Task A_promoted_backend_volume_is_managed_unmanaged_managed_again_and_deleted()
    {
        var site = Cloud.Site1;
        using var admin = site.AdminSession();
        var manage = admin.BlockStorage.Manage;
        var pools = await admin.BlockStorage.Admin.ListPoolsAsync(Ct);
        Assert.That(pools.Select(p => p.Name), Does.Contain(site.BackendHost), "the backend a plugin serves is a scheduler pool");
        var promoted = Unique("promoted");
        await site.PlaceBackendVolume(promoted, 2);

        var offered = await ManageableAsync(admin, site);
        Assert.That(offered, Does.ContainKey(promoted));
        Assert.That(offered[promoted].SafeToManage, Is.True, offered[promoted].ReasonNotSafe);
        Assert.That(offered[promoted].Size, Is.EqualTo(2));

        var managing = await manage.ManageAsync(new ManageVolumeOptions
        {
            Host = site.BackendHost,
            Ref = ManageVolumeOptions.SourceName(promoted),
            Name = Unique("recovered"),
            Metadata = new Dictionary<string, string> { ["draas:source"] = promoted },
        }, Ct);
        Assert.That(managing.Status, Is.EqualTo("creating"), "Cinder shows its internal 'managing' as 'creating'");
        var managed = await admin.BlockStorage.Volumes.WaitForStatusAsync(managing.Id, "available", Wait, Ct);
        Assert.That(managed.Size, Is.EqualTo(2), "sized from the backend");
        Assert.That(managed.Host, Is.EqualTo(site.BackendHost));
        Assert.That(managed.Metadata["draas:source"], Is.EqualTo(promoted));
        var afterManage = await ManageableAsync(admin, site);
        Assert.That(afterManage.Values.Where(m => m.SafeToManage).Select(m => m.Reference["source-name"]), Does.Not.Contain(promoted), "nothing offers the promoted volume twice");
        Assert.That(afterManage.Values.Where(m => m.CinderId == managed.Id).Select(m => m.SafeToManage), Is.EqualTo(new[] { false }), "Cinder lists its own volume as already managed");

        await admin.BlockStorage.Volumes.UnmanageAsync(managed.Id, Ct);
        await admin.BlockStorage.Volumes.WaitForDeletedAsync(managed.Id, Wait, Ct);
        var released = await Eventually(async () => (await ManageableAsync(admin, site)).Values
            .Where(m => m.SafeToManage && (m.Reference["source-name"] == promoted || !offered.ContainsKey(m.Reference["source-name"])))
            .ToList(), l => l.Count == 1);
        Assert.That(released.Single().Size, Is.EqualTo(2), "the backend keeps the volume, ready to manage again");

        var again = await manage.ManageAsync(new ManageVolumeOptions { Host = site.BackendHost, Ref = released.Single().Reference, Name = Unique("again") }, Ct);
        await admin.BlockStorage.Volumes.WaitForStatusAsync(again.Id, "available", Wait, Ct);
        await DeleteVolumeAsync(admin, again.Id);
        var afterDelete = await ManageableAsync(admin, site);
        Assert.That(afterDelete.Keys, Does.Not.Contain(released.Single().Reference["source-name"]), "deleting a managed volume deletes it on the backend");
        Assert.That(afterDelete.Keys, Does.Not.Contain(promoted));
    }

    [Test]
    public async Task A_volume_type_places_and_imports_only_on_the_backend_its_name_asks_for()
    {
        // The scheduler's capabilities filter: a type's volume_backend_name must be a pool's, for a create and
        // for manage existing (the import step of every recovery, with the plan's replicated type).
        var site = Cloud.Site1;
        using var admin = site.AdminSession();
        var backendName = (await admin.BlockStorage.Admin.ListPoolsAsync(Ct)).Single(p => p.Name == site.BackendHost).Capabilities.VolumeBackendName;
        var types = admin.BlockStorage.VolumeTypes;
        var plans = await types.CreateAsync(new CreateVolumeTypeOptions
        {
            Name = Unique("replicated"),
            ExtraSpecs = new Dictionary<string, string> { ["volume_backend_name"] = backendName!, ["replication_enabled"] = "<is> True" },
        }, Ct);
        var elsewhere = await types.CreateAsync(new CreateVolumeTypeOptions
        {
            Name = Unique("elsewhere"),
            ExtraSpecs = new Dictionary<string, string> { ["volume_backend_name"] = backendName + "-elsewhere" },
        }, Ct);
        var made = new List<string>();
        try
        {
            var unplaced = await admin.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = Unique("unplaced"), VolumeType = elsewhere.Name }, Ct);
            made.Add(unplaced.Id);
            var promoted = Unique("promoted");
            await site.PlaceBackendVolume(promoted, 1);
            var refused = await admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
            {
                Host = site.BackendHost,
                Ref = ManageVolumeOptions.SourceName(promoted),
                Name = Unique("refused"),
                VolumeType = elsewhere.Name,
            }, Ct);
            made.Add(refused.Id);
            var unplacedEnd = await Eventually(() => admin.BlockStorage.Volumes.GetAsync(unplaced.Id, Ct), v => v.Status is "error" or "available");
            var refusedEnd = await Eventually(() => admin.BlockStorage.Volumes.GetAsync(refused.Id, Ct), v => v.Status is "error" or "available");
            Assert.That(unplacedEnd.Status, Is.EqualTo("error"), "no valid backend for the create");
            Assert.That(refusedEnd.Status, Is.EqualTo("error"), "no valid backend for the import (error_managing, shown as error)");
            Assert.That((await ManageableAsync(admin, site))[promoted].SafeToManage, Is.True, "the refused import left the backend volume as it was");

            var imported = await admin.BlockStorage.Manage.ManageAsync(new ManageVolumeOptions
            {
                Host = site.BackendHost,
                Ref = ManageVolumeOptions.SourceName(promoted),
                Name = Unique("imported"),
                VolumeType = plans.Name,
            }, Ct);
            made.Add(imported.Id);
            var available = await admin.BlockStorage.Volumes.WaitForStatusAsync(imported.Id, "available", Wait, Ct);
            Assert.That(available.VolumeType, Is.EqualTo(plans.Name));
            Assert.That(available.Host, Is.EqualTo(site.BackendHost));
        }
        finally
        {
            foreach (var id in made) await Quietly(() => DeleteVolumeAsync(admin, id));
            await Quietly(() => types.DeleteAsync(plans.Id, Ct));
            await Quietly(() => types.DeleteAsync(elsewhere.Id, Ct));
        }
    }

    // ---------------------------------------------------------------- Glance

    [Test]
    public async Task An_image_is_uploaded_streamed_back_with_matching_checksums_and_deleted()
    {
        using var admin = Cloud.Site1.AdminSession();
        var data = RandomBytes(3 * 1024 * 1024 + 17, seed: 1);
        var image = await admin.Image.CreateAsync(new CreateImageOptions { Name = Unique("image"), DiskFormat = "raw", ContainerFormat = "bare", Visibility = "private" }, Ct);
        try
        {
            Assert.That(image.Status, Is.EqualTo("queued"));
            var sent = await admin.Image.UploadAsync(image.Id, new MemoryStream(data, writable: false), Ct);
            var active = await admin.Image.WaitForStatusAsync(image.Id, "active", Wait, Ct);
            Assert.That(active.Size, Is.EqualTo(data.Length));
            Assert.That(active.VirtualSize, Is.EqualTo(data.Length), "Glance inspects a raw upload: its virtual size is its size");
            Assert.That(active.Checksum, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(data))));
            Assert.That(active.OsHashAlgo, Is.EqualTo("sha512"));
            Assert.That(active.OsHashValue, Is.EqualTo(Convert.ToHexStringLower(SHA512.HashData(data))));
            Assert.That(sent.Md5, Is.EqualTo(active.Checksum));

            using var back = new MemoryStream();
            var received = await admin.Image.DownloadAsync(image.Id, back, Ct);

            Assert.That(received.Bytes, Is.EqualTo(data.Length));
            Assert.That(received.HashValue, Is.EqualTo(active.OsHashValue));
            Assert.That(back.ToArray(), Is.EqualTo(data));
        }
        finally
        {
            await admin.Image.DeleteAsync(image.Id, Ct);
        }
        Assert.ThrowsAsync(Is.InstanceOf<OpenStackException>().With.Property(nameof(OpenStackException.StatusCode)).EqualTo(HttpStatusCode.NotFound),
            () => admin.Image.GetAsync(image.Id, Ct));
    }

    [Test]
    public async Task An_image_is_copied_from_site_1_to_site_2_with_its_id_properties_and_bytes()
    {
        using var site1 = Cloud.Site1.AdminSession();
        using var site2 = Cloud.Site2.AdminSession();
        var data = RandomBytes(2 * 1024 * 1024 + 5, seed: 2);
        var source = await site1.Image.CreateAsync(new CreateImageOptions
        {
            Name = Unique("golden"),
            DiskFormat = "qcow2",
            ContainerFormat = "bare",
            MinDisk = 1,
            Tags = ["golden"],
            Properties = new Dictionary<string, object> { ["os_distro"] = "cirros", ["hw_disk_bus"] = "scsi" },
        }, Ct);
        string? copyId = null;
        try
        {
            await site1.Image.UploadAsync(source.Id, new MemoryStream(data, writable: false), Ct);
            await site1.Image.WaitForStatusAsync(source.Id, "active", Wait, Ct);

            var (copy, transfer) = await ImageCopy.CopyAsync(site1.Image, source.Id, site2.Image,
                new CopyImageOptions { ExtraProperties = new Dictionary<string, string> { ["draas:source"] = $"{Cloud.Site1.Name}/{source.Id}" } }, Ct);
            copyId = copy.Id;

            Assert.That(copy.Id, Is.EqualTo(source.Id), "the copy keeps the id manifests refer to");
            Assert.That(copy.Status, Is.EqualTo("active"));
            Assert.That(transfer.Bytes, Is.EqualTo(data.Length));
            var there = await site2.Image.GetAsync(copy.Id, Ct);
            Assert.That(there.Checksum, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(data))));
            Assert.That(there.Visibility, Is.EqualTo("private"));
            Assert.That(there.DiskFormat, Is.EqualTo("qcow2"));
            Assert.That(there.MinDisk, Is.EqualTo(1));
            Assert.That(there.Tags, Is.EqualTo(new[] { "golden" }));
            Assert.That(there.Properties["os_distro"].GetString(), Is.EqualTo("cirros"));
            Assert.That(there.Properties["draas:source"].GetString(), Is.EqualTo($"{Cloud.Site1.Name}/{source.Id}"));
            using var back = new MemoryStream();
            await site2.Image.DownloadAsync(copy.Id, back, Ct);
            Assert.That(back.ToArray(), Is.EqualTo(data));
        }
        finally
        {
            await Quietly(() => site1.Image.DeleteAsync(source.Id, Ct));
            if (copyId is not null) await Quietly(() => site2.Image.DeleteAsync(copyId, Ct));
        }
    }

    // ---------------------------------------------------------------- helpers

    async Task<Dictionary<string, ManageableVolume>> ManageableAsync(KeystoneSession admin, CloudSite site) =>
        await admin.BlockStorage.Manage.ListAsync(site.BackendHost, Ct).ToDictionaryAsync(m => m.Reference["source-name"], cancellationToken: Ct);

    async Task DeleteVolumeAsync(KeystoneSession admin, string id)
    {
        await admin.BlockStorage.Volumes.DeleteAsync(id, cascade: true, Ct);
        await admin.BlockStorage.Volumes.WaitForDeletedAsync(id, Wait, Ct);
    }

    async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(Wait.Interval, Ct);
        }
    }

    static async Task Quietly(Func<Task> cleanup)
    {
        try { await cleanup(); }
        catch (Exception e) { TestContext.Out.WriteLine($"cleanup: {e.Message}"); }
    }

    static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}

/// <summary>The scenarios against the in-process two-site simulator; part of ./tox -e test.</summary>
public sealed class SimulatorCloudScenarios : CloudScenarios
{
    protected override async Task<CloudTarget> StartTargetAsync(CancellationToken ct)
    {
        var target = new SimulatorCloudTarget();
        await target.StartAsync(ct);
        return target;
    }
}

/// <summary>The scenarios against real OpenStack services; ./tox -e realcloud starts them and names their
/// endpoints file in DRAAS_REALCLOUD_ENDPOINTS. Without it every test here is ignored, saying why.</summary>
[Category(Category)]
// One fixture at a time: the category shares one set of clusters or clouds.
[NonParallelizable]
public sealed class RealCloudScenarios : CloudScenarios
{
    public const string Category = "RealCloud";

    protected override async Task<CloudTarget> StartTargetAsync(CancellationToken ct)
    {
        var file = Environment.GetEnvironmentVariable(RealCloudTarget.EndpointsVariable);
        if (string.IsNullOrEmpty(file))
            Assert.Ignore($"needs real OpenStack services: {RealCloudTarget.EndpointsVariable} is not set (./tox -e realcloud starts them and sets it)");
        var target = new RealCloudTarget(file);
        await target.StartAsync(ct);
        return target;
    }
}
