using System.Security.Cryptography;
using System.Text;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova v2.1 JSON shapes (api-ref compute), with the fields each microversion adds or changes:
/// 2.47 embeds the flavor instead of linking it, 2.75 prints swap as a number, and the extension
/// attributes keep their irregular names (<c>OS-EXT-STS:vm_state</c>, <c>os-extended-volumes:volumes_attached</c>).</summary>
internal static class ComputeViews
{
    public static string Base(SimSite site) => $"{site.ServiceUrl("compute")}/v2.1";

    public static object[] Links(SimSite site, string kind, string id) =>
    [
        new { rel = "self", href = $"{Base(site)}/{kind}/{id}" },
        new { rel = "bookmark", href = $"{site.ServiceUrl("compute")}/{kind}/{id}" },
    ];

    public static object Summary(SimSite site, Server s) => new { id = s.Id, name = s.Name, links = Links(site, "servers", s.Id) };

    public static Dictionary<string, object?> Server(SimSite site, Server s, Microversion mv, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["status"] = s.Status,
            ["tenant_id"] = s.ProjectId,
            ["user_id"] = s.UserId,
            ["metadata"] = s.Metadata,
            ["hostId"] = HostId(s),
            ["image"] = s.ImageId is null ? "" : new { id = s.ImageId, links = new[] { new { rel = "bookmark", href = $"{site.ServiceUrl("compute")}/images/{s.ImageId}" } } },
            ["flavor"] = mv >= new Microversion(2, 47)
                ? new Dictionary<string, object?>
                {
                    ["vcpus"] = s.Flavor.Vcpus,
                    ["ram"] = s.Flavor.Ram,
                    ["disk"] = s.Flavor.Disk,
                    ["ephemeral"] = s.Flavor.Ephemeral,
                    ["swap"] = s.Flavor.Swap,
                    ["original_name"] = s.Flavor.Name,
                    ["extra_specs"] = s.Flavor.ExtraSpecs,
                }
                : new { id = s.Flavor.Id, links = new[] { new { rel = "bookmark", href = $"{site.ServiceUrl("compute")}/flavors/{s.Flavor.Id}" } } },
            ["created"] = SimJson.TimeSecZ(s.CreatedAt),
            ["updated"] = SimJson.TimeSecZ(s.UpdatedAt),
            ["addresses"] = Addresses(site, s),
            ["accessIPv4"] = s.AccessIPv4 ?? "",
            ["accessIPv6"] = "",
            ["links"] = Links(site, "servers", s.Id),
            ["OS-DCF:diskConfig"] = "MANUAL",
            ["progress"] = s.Status == "BUILD" ? 0 : 100,
            ["OS-EXT-AZ:availability_zone"] = s.AvailabilityZone,
            ["config_drive"] = s.ConfigDrive ? "True" : "",
            ["key_name"] = s.KeyName,
            ["OS-SRV-USG:launched_at"] = s.LaunchedAt is { } l ? SimJson.Time(l) : null,
            ["OS-SRV-USG:terminated_at"] = null,
            ["OS-EXT-STS:task_state"] = s.TaskState,
            ["OS-EXT-STS:vm_state"] = s.VmState,
            ["OS-EXT-STS:power_state"] = s.PowerState,
            ["os-extended-volumes:volumes_attached"] = s.BlockDevices.Where(b => b.VolumeId is not null)
                .Select(b => new { id = b.VolumeId, delete_on_termination = b.DeleteOnTermination }).ToArray(),
            ["security_groups"] = SecurityGroups(site, s),
        };
        if (d["security_groups"] is null) d.Remove("security_groups");
        if (admin)
        {
            d["OS-EXT-SRV-ATTR:host"] = s.Host;
            d["OS-EXT-SRV-ATTR:hypervisor_hostname"] = s.Host;
            d["OS-EXT-SRV-ATTR:instance_name"] = $"instance-{s.Index:x8}";
        }
        if (s.Fault is { } f)
            d["fault"] = new { code = f.Code, message = f.Message, details = f.Details, created = SimJson.TimeSecZ(f.Created) };
        if (admin && mv >= new Microversion(2, 3))
        {
            // Nova 2.3's extended server attributes, as real Nova (Zed) fills them for a server it built.
            d["OS-EXT-SRV-ATTR:hostname"] = HostName(s.Name);
            d["OS-EXT-SRV-ATTR:reservation_id"] = "r-" + s.Id.Replace("-", "")[..8];
            d["OS-EXT-SRV-ATTR:launch_index"] = 0;
            d["OS-EXT-SRV-ATTR:kernel_id"] = "";
            d["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
            d["OS-EXT-SRV-ATTR:root_device_name"] = s.BlockDevices.FirstOrDefault(b => b.BootIndex == 0)?.Device ?? "/dev/vda";
            d["OS-EXT-SRV-ATTR:user_data"] = s.UserData;
        }
        if (mv >= new Microversion(2, 9)) d["locked"] = false;
        if (mv >= new Microversion(2, 16) && admin) d["host_status"] = "UP";
        if (mv >= new Microversion(2, 19)) d["description"] = s.Description;
        if (mv >= new Microversion(2, 26)) d["tags"] = s.Tags;
        if (mv >= new Microversion(2, 63)) d["trusted_image_certificates"] = null;
        if (mv >= new Microversion(2, 71)) d["server_groups"] = s.ServerGroupId is null ? Array.Empty<string>() : new[] { s.ServerGroupId };
        if (mv >= new Microversion(2, 73)) d["locked_reason"] = null;
        return d;
    }

    /// <summary>Nova's network info cache: per network name, each port's fixed addresses and the floating
    /// addresses pointed at them.</summary>
    private static Dictionary<string, object[]> Addresses(SimSite site, Server s)
    {
        var state = site.Networks;
        var result = new Dictionary<string, object[]>();
        foreach (var port in s.PortIds.Select(state.Port).OfType<Network.Port>())
        {
            var name = state.Network(port.NetworkId)?.Name ?? port.NetworkId;
            var entries = new List<object>();
            foreach (var ip in port.FixedIps)
            {
                entries.Add(Address(ip.IpAddress, "fixed", port.MacAddress));
                foreach (var f in state.FloatingIps.Where(f => f.PortId == port.Id && f.FixedIpAddress == ip.IpAddress))
                    entries.Add(Address(f.FloatingIpAddress, "floating", port.MacAddress));
            }
            result[name] = [.. result.GetValueOrDefault(name) ?? [], .. entries];
        }
        return result;
    }

    private static Dictionary<string, object> Address(string address, string type, string mac) => new()
    {
        ["version"] = 4,
        ["addr"] = address,
        ["OS-EXT-IPS:type"] = type,
        ["OS-EXT-IPS-MAC:mac_addr"] = mac,
    };

    /// <summary>The names of the groups on the server's ports; no key at all for a server without ports.</summary>
    private static object[]? SecurityGroups(SimSite site, Server s)
    {
        var ports = s.PortIds.Select(site.Networks.Port).OfType<Network.Port>().ToList();
        if (ports.Count == 0) return null;
        return [.. ports.SelectMany(p => p.SecurityGroups).Distinct().Select(id => site.Networks.Group(id)?.Name ?? id).Distinct().Select(n => new { name = n })];
    }

    /// <summary>Nova's sanitize_hostname: lower case, spaces and underscores become dashes, the rest of
    /// what a host name cannot hold is dropped.</summary>
    private static string HostName(string name)
    {
        var dashed = name.ToLowerInvariant().Replace(' ', '-').Replace('_', '-');
        var kept = new string(dashed.Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.').ToArray()).Trim('.', '-');
        return kept.Length > 63 ? kept[..63] : kept;
    }

    /// <summary>Nova's hostId: an opaque hash of the host and the project, so projects cannot compare hosts.</summary>
    private static string HostId(Server s) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s.ProjectId + s.Host)))[..56].ToLowerInvariant();

    public static Dictionary<string, object?> Flavor(SimSite site, Flavor f, Microversion mv, bool detail)
    {
        var d = new Dictionary<string, object?> { ["id"] = f.Id, ["name"] = f.Name, ["links"] = Links(site, "flavors", f.Id) };
        if (mv >= new Microversion(2, 55)) d["description"] = f.Description;
        if (!detail) return d;
        d["ram"] = f.Ram;
        d["disk"] = f.Disk;
        d["vcpus"] = f.Vcpus;
        d["swap"] = mv >= new Microversion(2, 75) ? f.Swap : f.Swap == 0 ? "" : f.Swap;
        d["OS-FLV-EXT-DATA:ephemeral"] = f.Ephemeral;
        d["OS-FLV-DISABLED:disabled"] = false;
        d["os-flavor-access:is_public"] = f.IsPublic;
        d["rxtx_factor"] = f.RxtxFactor;
        if (mv >= new Microversion(2, 61)) d["extra_specs"] = f.ExtraSpecs;
        return d;
    }

    public static Dictionary<string, object?> Keypair(Keypair k, Microversion mv, bool full)
    {
        var d = new Dictionary<string, object?> { ["name"] = k.Name, ["public_key"] = k.PublicKey, ["fingerprint"] = k.Fingerprint };
        if (mv >= new Microversion(2, 2)) d["type"] = k.Type;
        if (!full) return d;
        d["user_id"] = k.UserId;
        d["id"] = k.Id;
        d["created_at"] = SimJson.Time(k.CreatedAt);
        d["updated_at"] = null;
        d["deleted"] = false;
        d["deleted_at"] = null;
        return d;
    }

    public static Dictionary<string, object?> ServerGroup(ServerGroup g, Microversion mv)
    {
        var d = new Dictionary<string, object?> { ["id"] = g.Id, ["name"] = g.Name, ["members"] = g.Members };
        if (mv >= new Microversion(2, 64))
        {
            d["policy"] = g.Policy;
            d["rules"] = g.Rules;
        }
        else
        {
            d["policies"] = new[] { g.Policy };
            d["metadata"] = new { };
        }
        if (mv >= new Microversion(2, 13))
        {
            d["project_id"] = g.ProjectId;
            d["user_id"] = g.UserId;
        }
        return d;
    }

    public static Dictionary<string, object?> Attachment(Server s, BlockDevice b, Microversion mv)
    {
        var d = new Dictionary<string, object?>
        {
            ["device"] = b.Device,
            ["serverId"] = s.Id,
            ["volumeId"] = b.VolumeId,
        };
        if (mv < new Microversion(2, 89)) d["id"] = b.VolumeId;
        if (mv >= new Microversion(2, 70)) d["tag"] = b.Tag;
        if (mv >= new Microversion(2, 79)) d["delete_on_termination"] = b.DeleteOnTermination;
        if (mv >= new Microversion(2, 89))
        {
            d["attachment_id"] = b.Id;
            d["bdm_uuid"] = b.Id;
        }
        return d;
    }
}
