using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>A small read-only Neutron: version discovery, networks and subnets (seeded per site), and the
/// empty lists clients ask for on the way (extensions, ports, security groups).</summary>
public static class NetworkApi
{
    public static void Map(RouteGroupBuilder network, SimSite site)
    {
        network.MapGet("/", () => SimJson.Json(new
        {
            versions = new[] { new { id = "v2.0", status = "CURRENT", links = new[] { new { href = $"{site.ServiceUrl("network")}/v2.0/", rel = "self" } } } },
        }));
        var v2 = network.MapGroup("/v2.0").RequireToken(site, (code, message) => ApiError.Neutron(code, code == 401 ? "Unauthorized" : "Error", message));

        v2.MapGet("/networks", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            var list = site.Networks.Networks.Where(n => Visible(t, n)).Where(n => Matches(http, n.Name, n.Id, n.ProjectId))
                .Where(n => http.Request.Query["router:external"].ToString() is not { Length: > 0 } ext || bool.Parse(ext) == n.External)
                .Select(n => View(n, t.IsAdmin));
            return SimJson.Json(new { networks = list });
        }));
        v2.MapGet("/networks/{id}", (HttpContext http, string id) => site.Locked(() =>
            site.Networks.Networks.FirstOrDefault(n => n.Id == id) is { } n && Visible(http.Token(), n)
                ? SimJson.Json(new { network = View(n, http.Token().IsAdmin) })
                : ApiError.Neutron(404, "NetworkNotFound", $"Network {id} could not be found.")));
        v2.MapGet("/subnets", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            var networkId = http.Request.Query["network_id"].ToString();
            var list = site.Networks.Subnets
                .Where(s => site.Networks.Networks.Any(n => n.Id == s.NetworkId && Visible(t, n)))
                .Where(s => networkId.Length == 0 || s.NetworkId == networkId)
                .Where(s => Matches(http, s.Name, s.Id, s.ProjectId)).Select(View);
            return SimJson.Json(new { subnets = list });
        }));
        v2.MapGet("/subnets/{id}", (HttpContext http, string id) => site.Locked(() =>
            site.Networks.Subnets.FirstOrDefault(s => s.Id == id) is { } s
                ? SimJson.Json(new { subnet = View(s) })
                : ApiError.Neutron(404, "SubnetNotFound", $"Subnet {id} could not be found.")));
        v2.MapGet("/extensions", () => SimJson.Json(new { extensions = Array.Empty<object>() }));
        v2.MapGet("/ports", () => SimJson.Json(new { ports = Array.Empty<object>() }));
        v2.MapGet("/floatingips", () => SimJson.Json(new { floatingips = Array.Empty<object>() }));
        v2.MapGet("/security-groups", () => SimJson.Json(new { security_groups = Array.Empty<object>() }));
    }

    /// <summary>Neutron shows a project its own networks, shared ones and external ones.</summary>
    private static bool Visible(Token t, Network n) => t.IsAdmin || n.Shared || n.External || n.ProjectId == t.Project?.Id;

    private static bool Matches(HttpContext http, string name, string id, string project)
    {
        var q = http.Request.Query;
        return (q["name"].ToString() is not { Length: > 0 } n || n == name)
            && (q["id"].ToString() is not { Length: > 0 } i || i == id)
            && (q["project_id"].ToString() is not { Length: > 0 } p || p == project);
    }

    private static Dictionary<string, object?> View(Network n, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = n.Id,
            ["name"] = n.Name,
            ["status"] = "ACTIVE",
            ["admin_state_up"] = true,
            ["shared"] = n.Shared,
            ["router:external"] = n.External,
            ["subnets"] = n.SubnetIds,
            ["tenant_id"] = n.ProjectId,
            ["project_id"] = n.ProjectId,
            ["mtu"] = n.Mtu,
            ["availability_zones"] = new[] { "nova" },
            ["availability_zone_hints"] = Array.Empty<string>(),
            ["ipv4_address_scope"] = null,
            ["ipv6_address_scope"] = null,
            ["port_security_enabled"] = true,
            ["is_default"] = false,
            ["l2_adjacency"] = true,
            ["qos_policy_id"] = null,
            ["dns_domain"] = "",
            ["description"] = "",
            ["tags"] = Array.Empty<string>(),
            ["revision_number"] = 1,
            ["created_at"] = SimJson.TimeSecZ(n.CreatedAt),
            ["updated_at"] = SimJson.TimeSecZ(n.CreatedAt),
        };
        if (admin)
        {
            d["provider:network_type"] = n.NetworkType;
            d["provider:physical_network"] = n.External ? "public" : null;
            d["provider:segmentation_id"] = n.SegmentationId;
        }
        return d;
    }

    private static object View(Subnet s) => new Dictionary<string, object?>
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["network_id"] = s.NetworkId,
        ["tenant_id"] = s.ProjectId,
        ["project_id"] = s.ProjectId,
        ["cidr"] = s.Cidr,
        ["ip_version"] = 4,
        ["gateway_ip"] = s.GatewayIp,
        ["enable_dhcp"] = true,
        ["allocation_pools"] = new[] { new { start = s.PoolStart, end = s.PoolEnd } },
        ["dns_nameservers"] = Array.Empty<string>(),
        ["host_routes"] = Array.Empty<object>(),
        ["service_types"] = Array.Empty<string>(),
        ["subnetpool_id"] = null,
        ["ipv6_address_mode"] = null,
        ["ipv6_ra_mode"] = null,
        ["description"] = "",
        ["tags"] = Array.Empty<string>(),
        ["revision_number"] = 0,
        ["created_at"] = SimJson.TimeSecZ(s.CreatedAt),
        ["updated_at"] = SimJson.TimeSecZ(s.CreatedAt),
    };
}
