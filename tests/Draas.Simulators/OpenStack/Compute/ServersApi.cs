using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Draas.Simulators.OpenStack.BlockStorage;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova servers: list (summary and detail, paged, filtered), show, create (from an image or
/// boot-from-volume with <c>block_device_mapping_v2</c>, <c>networks</c> none/auto/list), update,
/// delete, metadata. A new server is BUILD until the simulator's clock reaches its build time, then
/// ACTIVE (or ERROR when the site is told to fail builds).</summary>
internal static class ServersApi
{

    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        v21.MapGet("/servers", (HttpContext http) => List(http, site, detail: false));
        v21.MapGet("/servers/detail", (HttpContext http) => List(http, site, detail: true));
        v21.MapGet("/servers/{id}", (HttpContext http, string id) => site.Locked(() =>
            Find(site, http.Token(), id) is { } s
                ? SimJson.Json(new { server = ComputeViews.Server(site, s, Microversion.Of(http), http.Token().IsAdmin) })
                : NotFound(id)));

        v21.MapPost("/servers", async (HttpContext http) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body.Prop("server") is not { ValueKind: JsonValueKind.Object } server)
                return ApiError.Fault(400, "Invalid input for field/attribute server.");
            if (!http.Token().CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:servers:create to be performed.");
            return site.Locked(() => Create(http, site, server, body.Prop("os:scheduler_hints")));
        });

        v21.MapPut("/servers/{id}", async (HttpContext http, string id) =>
        {
            var body = (await JsonBody.ReadAsync(http.Request)).Prop("server");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(site, t, id) is not { } s) return NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:servers:update to be performed.");
                if (body.Str("name") is { } name) s.Name = name;
                if (body.Prop("description") is not null) s.Description = body.Str("description");
                s.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
                return SimJson.Json(new { server = ComputeViews.Server(site, s, Microversion.Of(http), t.IsAdmin) });
            });
        });

        v21.MapDelete("/servers/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (Find(site, t, id) is not { } s) return NotFound(id);
            if (!t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:servers:delete to be performed.");
            s.TaskState = "deleting";
            site.Scheduler.At(site.Delays.VolumeDelete, () => Remove(site, s));
            return Results.NoContent();
        }));

        MapMetadata(v21, site);
    }

    internal static Server? Find(SimSite site, Token t, string id) =>
        site.Compute.Servers.GetValueOrDefault(id) is { } s && (t.IsAdmin || s.ProjectId == t.Project?.Id) ? s : null;

    internal static IResult NotFound(string id) => ApiError.Fault(404, $"Instance {id} could not be found.");

    private static IResult List(HttpContext http, SimSite site, bool detail) => site.Locked(() =>
    {
        var t = http.Token();
        var q = http.Request.Query;
        string? F(string k) => q[k].ToString() is { Length: > 0 } v ? v : null;
        var all = t.IsAdmin && F("all_tenants") is { } a && a is not ("0" or "false" or "False");
        var project = t.IsAdmin ? F("project_id") ?? F("tenant_id") : null;
        var name = F("name");
        var status = F("status");
        // 2.26: tags (all must match) and tags-any, comma-separated.
        var tags = F("tags")?.Split(',');
        var tagsAny = F("tags-any")?.Split(',');
        Regex? nameRegex = null;
        if (name is not null)
        {
            try { nameRegex = new Regex(name, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException) { return ApiError.Fault(400, $"Invalid regex for name: {name}"); }
        }
        var list = site.Compute.Ordered.Reverse()
            .Where(s => project is not null ? s.ProjectId == project : all || s.ProjectId == t.Project?.Id)
            .Where(s => nameRegex is null || nameRegex.IsMatch(s.Name))
            .Where(s => status is null || s.Status.Equals(status, StringComparison.OrdinalIgnoreCase))
            .Where(s => tags is null || tags.All(s.Tags.Contains))
            .Where(s => tagsAny is null || tagsAny.Any(s.Tags.Contains))
            .ToList();
        if (!Paging.TryPage(http.Request, list, s => s.Id, 1000, out var page, out var error)) return ApiError.Fault(400, error!);
        var mv = Microversion.Of(http);
        object items = detail
            ? page.Items.Select(s => ComputeViews.Server(site, s, mv, t.IsAdmin)).ToArray()
            : page.Items.Select(s => ComputeViews.Summary(site, s)).ToArray();
        var body = new Dictionary<string, object> { ["servers"] = items };
        if (page.NextMarker is not null) body["servers_links"] = Paging.Links(http.Request, page.NextMarker);
        return SimJson.Json(body);
    });

    private static IResult Create(HttpContext http, SimSite site, JsonElement serverBody, JsonElement? hints)
    {
        var b = (JsonElement?)serverBody;
        var t = http.Token();
        var mv = Microversion.Of(http);
        var compute = site.Compute;
        var name = b.Str("name");
        if (string.IsNullOrWhiteSpace(name)) return ApiError.Fault(400, "Invalid input for field/attribute name.");
        var flavorRef = b.Str("flavorRef") ?? "";
        var flavor = compute.Flavors.GetValueOrDefault(flavorRef.Split('/')[^1]);
        if (flavor is null) return ApiError.Fault(400, $"Flavor {flavorRef} could not be found.");

        // Boot source: an image, or block_device_mapping_v2 with boot_index 0.
        var imageRef = b.Str("imageRef");
        if (string.IsNullOrEmpty(imageRef)) imageRef = null;
        if (imageRef is not null && !(site.Images.Images.GetValueOrDefault(imageRef.Split('/')[^1]) is { Status: "active" }))
            return ApiError.Fault(400, $"Image {imageRef} could not be found.");
        var bdms = new List<(Volume? Volume, string? ImageId, int Size, int? BootIndex, bool DeleteOnTermination, string? Device, string? Tag)>();
        if (b.Prop("block_device_mapping_v2") is { ValueKind: JsonValueKind.Array } mappings)
        {
            foreach (var m in mappings.EnumerateArray())
            {
                var mapping = (JsonElement?)m;
                var source = mapping.Str("source_type");
                var destination = mapping.Str("destination_type") ?? "volume";
                var bootIndex = mapping.Int("boot_index");
                var uuid = mapping.Str("uuid");
                var dot = mapping.Bool("delete_on_termination") ?? false;
                if (source == "image" && destination == "local") continue; // plain image boot, spelled as a mapping
                if (destination != "volume")
                    return ApiError.Fault(400, $"Block Device Mapping is Invalid: destination_type {destination} is not supported by the simulator.");
                if (source == "volume")
                {
                    if (uuid is null || site.BlockStorage.Volumes.GetValueOrDefault(uuid) is not { } vol || !(t.IsAdmin || vol.ProjectId == t.Project?.Id))
                        return ApiError.Fault(400, $"Block Device Mapping is Invalid: failed to get volume {uuid}.");
                    if (vol.Status != "available")
                        return ApiError.Fault(400, $"Invalid volume: volume '{vol.Id}' status must be 'available'. Currently in '{vol.Status}'");
                    bdms.Add((vol, null, vol.Size, bootIndex, dot, mapping.Str("device_name"), mapping.Str("tag")));
                }
                else if (source == "image")
                {
                    if (uuid is null || !site.Images.Images.ContainsKey(uuid))
                        return ApiError.Fault(400, $"Block Device Mapping is Invalid: failed to get image {uuid}.");
                    var size = mapping.Int("volume_size") ?? 0;
                    if (size <= 0)
                        return ApiError.Fault(400, "Block Device Mapping is Invalid: volume_size is required to boot from an image into a volume.");
                    bdms.Add((null, uuid, size, bootIndex, dot, mapping.Str("device_name"), mapping.Str("tag")));
                }
                else if (source == "blank")
                {
                    bdms.Add((null, null, mapping.Int("volume_size") ?? 1, bootIndex, dot, mapping.Str("device_name"), mapping.Str("tag")));
                }
                else return ApiError.Fault(400, $"Block Device Mapping is Invalid: source_type {source} is not supported.");
            }
        }
        if (imageRef is null && !bdms.Any(x => x.BootIndex == 0))
            return ApiError.Fault(400, "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.");

        // Networks: 2.37 made the key mandatory; "none", "auto" or a list of networks or ports.
        var nics = new List<(Network.Network? Net, string? FixedIp, string? PortId)>();
        var networks = b.Prop("networks");
        if (networks is null && mv >= new Microversion(2, 37))
            return ApiError.Fault(400, "Invalid input for field/attribute networks. Value: None. 'networks' is a required property");
        if (networks is { ValueKind: JsonValueKind.String } word)
        {
            if (word.GetString() == "auto")
                nics.Add((site.Networks.Networks.First(n => n.Shared && !n.External), null, null));
            else if (word.GetString() != "none")
                return ApiError.Fault(400, "Invalid input for field/attribute networks.");
        }
        else if (networks is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var n in list.EnumerateArray())
            {
                var entry = (JsonElement?)n;
                if (entry.Str("port") is { } portId)
                {
                    if (site.Networks.Port(portId) is not { } port || !(t.IsAdmin || port.ProjectId == t.Project?.Id))
                        return ApiError.Fault(400, $"Port {portId} could not be found.");
                    if (port.DeviceId.Length > 0) return ApiError.Fault(409, $"Port {portId} is still in use.");
                    nics.Add((null, null, portId));
                    continue;
                }
                var uuid = entry.Str("uuid");
                if (uuid is null) return ApiError.Fault(400, "Bad networks format: network uuid is not in proper format.");
                var net = site.Networks.Networks.FirstOrDefault(x => x.Id == uuid && Network.NetworkApi.Visible(t, x));
                if (net is null) return ApiError.Fault(400, $"Network {uuid} could not be found.");
                var fixedIp = entry.Str("fixed_ip");
                if (fixedIp is not null && site.Networks.Ports.Any(p => p.NetworkId == net.Id && p.FixedIps.Any(f => f.IpAddress == fixedIp)))
                    return ApiError.Fault(400, $"Fixed IP address {fixedIp} is already in use on instance.");
                nics.Add((net, fixedIp, null));
            }
        }
        else if (networks is null)
        {
            nics.Add((site.Networks.Networks.First(n => n.Shared && !n.External), null, null));
        }
        // Security groups (names or ids of the project's) go on the ports Nova creates; a given port keeps its own.
        var groupIds = new List<string>();
        if (b.Prop("security_groups") is { ValueKind: JsonValueKind.Array } wantedGroups)
        {
            foreach (var g in wantedGroups.EnumerateArray())
            {
                var key = ((JsonElement?)g).Str("name") ?? "";
                var project = t.Project?.Id ?? "";
                if (key == "default") site.Networks.EnsureDefaultGroup(project, site.Scheduler.Clock.GetUtcNow());
                var found = site.Networks.SecurityGroups.Where(x => x.ProjectId == project).FirstOrDefault(x => x.Id == key)
                    ?? site.Networks.SecurityGroups.Where(x => x.ProjectId == project).FirstOrDefault(x => x.Name == key);
                if (found is null) return ApiError.Fault(400, $"Security group {key} not found for project {project}.");
                groupIds.Add(found.Id);
            }
        }
        var zone = b.Str("availability_zone") ?? "nova";
        if (zone.Split(':')[0] != "nova") return ApiError.Fault(400, "The requested availability zone is not available");

        var keyName = b.Str("key_name");
        if (keyName is not null && !compute.Keypairs.Any(k => k.Name == keyName && k.UserId == t.User.Id))
            return ApiError.Fault(400, "Invalid key_name provided.");
        var metadata = b.StringMap("metadata");
        if (metadata is null) return ApiError.Fault(400, "Invalid input for field/attribute metadata.");
        var groupId = hints.Str("group");
        if (groupId is not null && !compute.ServerGroups.ContainsKey(groupId))
            return ApiError.Fault(400, $"Invalid input for field/attribute group. Value: {groupId}.");

        var projectId = t.Project!.Id;
        var used = compute.Servers.Values.Count(s => s.ProjectId == projectId);
        var maxInstances = ComputeLimitsApi.Limits(site, projectId)["instances"];
        if (maxInstances >= 0 && used + 1 > maxInstances)
            return ApiError.Fault(403, $"Quota exceeded for instances: Requested 1, but already used {used} of {maxInstances} instances");

        var now = site.Scheduler.Clock.GetUtcNow();
        var index = compute.NextServerIndex++;
        var serverId = Guid.NewGuid().ToString();
        var ports = new List<Network.Port>();
        foreach (var (net, fixedIp, portId) in nics)
        {
            if (portId is not null)
            {
                ports.Add(site.Networks.Port(portId)!);
                continue;
            }
            var error = Network.PortsApi.TryCreate(site, new Network.PortRequest(projectId, net!.Id)
            {
                FixedIps = fixedIp is null ? [] : [(null, fixedIp)],
                SecurityGroups = groupIds.Count > 0 ? groupIds : null,
            }, out var port);
            if (error is not null)
            {
                foreach (var made in ports.Where(p => p.MadeByNova)) site.Networks.Ports.Remove(made);
                return ApiError.Fault(400, $"Network {net.Id} could not allocate a port for the server.");
            }
            port!.MadeByNova = true;
            ports.Add(port);
        }
        foreach (var port in ports)
        {
            port.DeviceId = serverId;
            port.DeviceOwner = $"compute:{zone}";
        }
        var server = new Server
        {
            Id = serverId,
            Name = name,
            Status = "BUILD",
            ProjectId = projectId,
            UserId = t.User.Id,
            Flavor = flavor,
            ImageId = imageRef?.Split('/')[^1],
            KeyName = keyName,
            UserData = b.Str("user_data"),
            ConfigDrive = b.Bool("config_drive") ?? false,
            Description = b.Str("description"),
            Metadata = metadata,
            Host = Placement.Choose(site, groupId),
            CreatedAt = now,
            UpdatedAt = now,
            Index = index,
            AvailabilityZone = zone,
            ServerGroupId = groupId,
            PortIds = [.. ports.Select(p => p.Id)],
            AccessIPv4 = site.Guests?.AddressFor(index),
            Tags = b.Prop("tags") is { ValueKind: JsonValueKind.Array } tags ? [.. tags.EnumerateArray().Select(x => x.GetString() ?? "")] : [],
        };
        compute.Servers[server.Id] = server;
        if (groupId is not null) compute.ServerGroups[groupId].Members.Add(server.Id);

        // Nova reserves the volumes now and attaches them when the build finishes.
        foreach (var m in bdms.OrderBy(x => x.BootIndex ?? int.MaxValue))
        {
            var volume = m.Volume ?? NewVolumeFor(site, t, server, m.ImageId, m.Size);
            VolumeLinks.Attach(site, server, volume, m.Device ?? VolumeLinks.NextDevice(server), m.BootIndex, m.DeleteOnTermination, m.Tag);
            volume.Status = "reserved";
        }
        // Nova builds a limited number at once; the rest stay BUILD, queued.
        site.Builds.Start(site.Delays.ServerBuild, () => FinishBuild(site, server));

        var response = new Dictionary<string, object?>
        {
            ["id"] = server.Id,
            ["links"] = ComputeViews.Links(site, "servers", server.Id),
            ["OS-DCF:diskConfig"] = "MANUAL",
            ["security_groups"] = groupIds.Count == 0 ? new[] { new { name = "default" } } : [.. groupIds.Select(id => new { name = site.Networks.Group(id)!.Name })],
            ["adminPass"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)),
        };
        return SimJson.Json(new { server = response }, 202);
    }

    /// <summary>A volume Nova creates in Cinder for an image or blank mapping.</summary>
    private static Volume NewVolumeFor(SimSite site, Token t, Server server, string? imageId, int size)
    {
        var state = site.BlockStorage;
        var v = new Volume
        {
            Id = Guid.NewGuid().ToString(),
            Name = "",
            Size = size,
            Status = "reserved",
            ProjectId = server.ProjectId,
            UserId = t.User.Id,
            Type = state.FindType(state.DefaultTypeName)!,
            CreatedAt = site.Scheduler.Clock.GetUtcNow(),
            Host = site.Backend.PoolName,
            Bootable = imageId is not null,
        };
        if (imageId is not null) v.ImageMetadata["image_id"] = imageId;
        state.Add(v);
        site.Array.TryCreate(v.ArrayName, (long)size << 30);
        return v;
    }

    private static void FinishBuild(SimSite site, Server s)
    {
        if (s.Status != "BUILD" || !site.Compute.Servers.ContainsKey(s.Id)) return;
        var now = site.Scheduler.Clock.GetUtcNow();
        s.UpdatedAt = now;
        s.TaskState = null;
        var reason = site.FailServerBuilds ?? (s.Host.Length == 0 ? "No valid host was found. There are not enough hosts available." : null);
        if (reason is not null)
        {
            if (site.FailServerBuilds is not null) site.Faults.CountInjected();
            s.Status = "ERROR";
            s.VmState = "error";
            s.PowerState = 0;
            s.Fault = new ServerFault(500, reason, "Simulated build failure", now);
            foreach (var bdm in s.BlockDevices.ToList()) VolumeLinks.Detach(site, s, bdm);
            return;
        }
        s.Status = "ACTIVE";
        s.VmState = "active";
        s.PowerState = 1;
        s.LaunchedAt = now;
        foreach (var port in site.Networks.PortsOf(s.Id)) port.HostId = s.Host;
        foreach (var bdm in s.BlockDevices)
            if (bdm.VolumeId is not null && site.BlockStorage.Volumes.GetValueOrDefault(bdm.VolumeId) is { } v) v.Status = "in-use";
    }

    private static void Remove(SimSite site, Server s)
    {
        if (!site.Compute.Servers.Remove(s.Id)) return;
        foreach (var bdm in s.BlockDevices.ToList())
        {
            VolumeLinks.Detach(site, s, bdm);
            if (bdm.DeleteOnTermination && bdm.VolumeId is not null && site.BlockStorage.Volumes.Remove(bdm.VolumeId, out var v))
                site.Array.Delete(v.ArrayName);
        }
        foreach (var g in site.Compute.ServerGroups.Values) g.Members.Remove(s.Id);
        // Nova deletes the ports it made and unbinds the ones it was given.
        foreach (var port in site.Networks.PortsOf(s.Id).ToList())
        {
            if (port.MadeByNova) Network.PortsApi.Delete(site.Networks, port);
            else
            {
                port.DeviceId = "";
                port.DeviceOwner = "";
                port.HostId = null;
            }
        }
    }

    private static void MapMetadata(RouteGroupBuilder v21, SimSite site)
    {
        IResult WithServer(HttpContext http, string id, bool write, Func<Server, IResult> act) => site.Locked(() =>
        {
            var t = http.Token();
            if (Find(site, t, id) is not { } s) return NotFound(id);
            if (write && !t.CanWrite) return ApiError.Fault(403, "Policy doesn't allow os_compute_api:server-metadata to be performed.");
            return act(s);
        });

        v21.MapGet("/servers/{id}/metadata", (HttpContext http, string id) =>
            WithServer(http, id, false, s => SimJson.Json(new { metadata = s.Metadata })));
        v21.MapGet("/servers/{id}/metadata/{key}", (HttpContext http, string id, string key) =>
            WithServer(http, id, false, s => s.Metadata.TryGetValue(key, out var v)
                ? SimJson.Json(new { meta = new Dictionary<string, string> { [key] = v } })
                : ApiError.Fault(404, "Metadata item was not found")));
        // POST merges, PUT replaces.
        async Task<IResult> SetAll(HttpContext http, string id, bool replace)
        {
            var md = (await JsonBody.ReadAsync(http.Request)).StringMap("metadata");
            if (md is null) return ApiError.Fault(400, "Malformed request body");
            return WithServer(http, id, true, s =>
            {
                if (replace) s.Metadata.Clear();
                foreach (var (k, v) in md) s.Metadata[k] = v;
                return SimJson.Json(new { metadata = s.Metadata });
            });
        }
        v21.MapPost("/servers/{id}/metadata", (HttpContext http, string id) => SetAll(http, id, replace: false));
        v21.MapPut("/servers/{id}/metadata", (HttpContext http, string id) => SetAll(http, id, replace: true));
        v21.MapPut("/servers/{id}/metadata/{key}", async (HttpContext http, string id, string key) =>
        {
            var md = (await JsonBody.ReadAsync(http.Request)).StringMap("meta");
            if (md is null || md.Count != 1 || !md.ContainsKey(key)) return ApiError.Fault(400, "Request body and URI mismatch");
            return WithServer(http, id, true, s =>
            {
                s.Metadata[key] = md[key];
                return SimJson.Json(new { meta = md });
            });
        });
        v21.MapDelete("/servers/{id}/metadata/{key}", (HttpContext http, string id, string key) =>
            WithServer(http, id, true, s => s.Metadata.Remove(key) ? Results.NoContent() : ApiError.Fault(404, "Metadata item was not found")));
    }
}
