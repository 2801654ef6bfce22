using System.Text.Json;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron v2.0 of one site: version discovery, extensions, networks, subnets and quotas here;
/// ports, routers, floating IPs and security groups in their own files. Stateful, and as strict as ML2
/// without agents: addresses must lie in the subnet and be free, in-use objects cannot be deleted,
/// quotas hold, each project gets its <c>default</c> security group.</summary>
public static class NetworkApi
{
    private static readonly string[] Extensions =
    [
        "agent", "allowed-address-pairs", "binding", "external-net", "extra_dhcp_opt", "extraroute", "network-ip-availability",
        "port-security", "project-id", "quotas", "quota_details", "router", "security-group", "standard-attr-description",
        "standard-attr-tag", "standard-attr-timestamp", "subnet_allocation", "availability_zone", "net-mtu", "provider",
    ];

    public static void Map(RouteGroupBuilder network, SimSite site)
    {
        network.MapGet("/", () => SimJson.Json(new
        {
            versions = new[] { new { id = "v2.0", status = "CURRENT", links = new[] { new { href = $"{site.ServiceUrl("network")}/v2.0/", rel = "self" } } } },
        }));
        var v2 = network.MapGroup("/v2.0").RequireToken(site, (code, message) => ApiError.Neutron(code, code == 401 ? "Unauthorized" : "Error", message));
        v2.MapGet("/extensions", () => SimJson.Json(new
        {
            extensions = Extensions.Select(a => new { alias = a, name = a, description = a, updated = "2013-01-01T10:00:00-00:00", links = Array.Empty<object>() }),
        }));
        MapNetworks(v2, site);
        MapSubnets(v2, site);
        MapQuotas(v2, site);
        PortsApi.Map(v2, site);
        RoutersApi.Map(v2, site);
        SecurityGroupsApi.Map(v2, site);
    }

    /// <summary>Neutron shows a project its own networks, shared ones and external ones.</summary>
    internal static bool Visible(Token t, Network n) => t.IsAdmin || n.Shared || n.External || n.ProjectId == t.Project?.Id;

    private static void MapNetworks(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        v2.MapGet("/networks", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "networks", state.Networks.Where(n => Visible(t, n)), n => NetworkViews.Network(n, t.IsAdmin), n => n.Id);
        }));
        v2.MapGet("/networks/{id}", (HttpContext http, string id) => site.Locked(() =>
            state.Network(id) is { } n && Visible(http.Token(), n)
                ? SimJson.Json(new { network = NetworkViews.Network(n, http.Token().IsAdmin) })
                : Neutron.NotFound("Network", id)));
        v2.MapPost("/networks", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "network");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_network", out error);
            if (error is not null) return error;
            var external = item.Bool("router:external") ?? false;
            var shared = item.Bool("shared") ?? false;
            if ((external || shared || item.Str("provider:network_type") is not null) && !t.IsAdmin)
                return Neutron.Forbidden("create_network:router:external");
            return site.Locked(() =>
            {
                var now = site.Scheduler.Clock.GetUtcNow();
                state.EnsureDefaultGroup(owner!, now);
                if (state.OverQuota(owner!, "network") is { } over) return Neutron.Conflict("OverQuota", over);
                var type = item.Str("provider:network_type") ?? (external ? "flat" : "vxlan");
                var n = new Network
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = item.Str("name") ?? "",
                    ProjectId = owner!,
                    Shared = shared,
                    External = external,
                    NetworkType = type,
                    PhysicalNetwork = item.Str("provider:physical_network"),
                    SegmentationId = type == "flat" ? null : state.Networks.Select(x => x.SegmentationId ?? 0).DefaultIfEmpty().Max() + 1,
                    Mtu = type == "vxlan" ? 1450 : 1500,
                    PortSecurityEnabled = item.Bool("port_security_enabled") ?? true,
                    AdminStateUp = item.Bool("admin_state_up") ?? true,
                    Description = item.Str("description") ?? "",
                    CreatedAt = now,
                };
                state.Networks.Add(n);
                return SimJson.Json(new { network = NetworkViews.Network(n, t.IsAdmin) }, 201);
            });
        });
        v2.MapPut("/networks/{id}", async (HttpContext http, string id) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "network");
            if (error is not null) return error;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (state.Network(id) is not { } n || !Visible(t, n)) return Neutron.NotFound("Network", id);
                if (!Neutron.Mine(t, n.ProjectId) || !t.CanWrite) return Neutron.Forbidden("update_network");
                if (item.Str("name") is { } name) n.Name = name;
                if (item.Str("description") is { } d) n.Description = d;
                if (item.Bool("admin_state_up") is { } up) n.AdminStateUp = up;
                return SimJson.Json(new { network = NetworkViews.Network(n, t.IsAdmin) });
            });
        });
        v2.MapDelete("/networks/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (state.Network(id) is not { } n || !Visible(t, n)) return Neutron.NotFound("Network", id);
            if (!Neutron.Mine(t, n.ProjectId) || !t.CanWrite) return Neutron.Forbidden("delete_network");
            if (state.Ports.Any(p => p.NetworkId == id && p.DeviceOwner != "network:dhcp"))
                return Neutron.Conflict("NetworkInUse", $"Unable to complete operation on network {id}. There are one or more ports still in use on the network.");
            state.Subnets.RemoveAll(s => s.NetworkId == id);
            state.Networks.Remove(n);
            return Results.NoContent();
        }));
    }

    private static void MapSubnets(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        bool VisibleSubnet(Token t, Subnet s) => t.IsAdmin || s.ProjectId == t.Project?.Id || state.Network(s.NetworkId) is { Shared: true };
        v2.MapGet("/subnets", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "subnets", state.Subnets.Where(s => VisibleSubnet(t, s)), NetworkViews.Subnet, s => s.Id);
        }));
        v2.MapGet("/subnets/{id}", (HttpContext http, string id) => site.Locked(() =>
            state.Subnet(id) is { } s && VisibleSubnet(http.Token(), s)
                ? SimJson.Json(new { subnet = NetworkViews.Subnet(s) })
                : Neutron.NotFound("Subnet", id)));
        v2.MapPost("/subnets", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "subnet");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_subnet", out error);
            if (error is not null) return error;
            var cidr = item.Str("cidr");
            if (cidr is null || !NetworkState.IsCidr(cidr)) return Neutron.BadRequest($"Invalid input for cidr. Reason: '{cidr}' is not a valid IP subnet.");
            if ((item.Int("ip_version") ?? 4) != 4) return Neutron.BadRequest("The simulator supports IPv4 subnets only.");
            var (first, last) = NetworkState.HostRange(cidr);
            var gatewayGiven = item.Prop("gateway_ip") is not null || (item is { } i && i.TryGetProperty("gateway_ip", out var g) && g.ValueKind == JsonValueKind.Null);
            var gateway = gatewayGiven ? item.Str("gateway_ip") : first;
            if (gateway is not null && !NetworkState.InCidr(gateway, cidr)) return Neutron.BadRequest($"Invalid input for operation: Gateway IP {gateway} is not in subnet {cidr}.");
            var pools = new List<AllocationPool>();
            if (item.Prop("allocation_pools") is { ValueKind: JsonValueKind.Array } given)
            {
                foreach (var p in given.EnumerateArray())
                {
                    var start = ((JsonElement?)p).Str("start");
                    var end = ((JsonElement?)p).Str("end");
                    if (start is null || end is null || !NetworkState.InCidr(start, cidr) || !NetworkState.InCidr(end, cidr)
                        || NetworkState.ToUInt(start) > NetworkState.ToUInt(end))
                        return Neutron.BadRequest($"The allocation pool {start}-{end} spans beyond the subnet cidr {cidr}.");
                    if (gateway is not null && NetworkState.ToUInt(start) <= NetworkState.ToUInt(gateway) && NetworkState.ToUInt(gateway) <= NetworkState.ToUInt(end))
                        return Neutron.Conflict("GatewayConflictWithAllocationPools", $"Gateway ip {gateway} conflicts with allocation pool {start}-{end}.");
                    pools.Add(new AllocationPool(start, end));
                }
            }
            else
            {
                // Neutron's default pool: the whole range without the gateway.
                var from = gateway == first ? NetworkState.FromUInt(NetworkState.ToUInt(first) + 1) : first;
                pools.Add(new AllocationPool(from, last));
            }
            var dns = item.Prop("dns_nameservers") is { ValueKind: JsonValueKind.Array } d ? d.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            var routes = new List<HostRoute>();
            if (item.Prop("host_routes") is { ValueKind: JsonValueKind.Array } hr)
                foreach (var r in hr.EnumerateArray()) routes.Add(new HostRoute(((JsonElement?)r).Str("destination") ?? "", ((JsonElement?)r).Str("nexthop") ?? ""));
            return site.Locked(() =>
            {
                var networkId = item.Str("network_id") ?? "";
                if (state.Network(networkId) is not { } n || !Visible(t, n)) return Neutron.NotFound("Network", networkId);
                if (!Neutron.Mine(t, n.ProjectId)) return Neutron.Forbidden("create_subnet");
                if (state.Subnets.Any(s => s.NetworkId == n.Id && (NetworkState.InCidr(first, s.Cidr) || NetworkState.InCidr(NetworkState.HostRange(s.Cidr).First, cidr))))
                    return Neutron.BadRequest($"Invalid input for operation: Requested subnet with cidr: {cidr} for network: {n.Id} overlaps with another subnet.");
                if (state.OverQuota(owner!, "subnet") is { } over) return Neutron.Conflict("OverQuota", over);
                var s = state.AddSubnet(n, item.Str("name") ?? "", cidr, gateway, pools, owner!, site.Scheduler.Clock.GetUtcNow());
                s.DnsNameservers = dns;
                s.HostRoutes = routes;
                s.EnableDhcp = item.Bool("enable_dhcp") ?? true;
                s.Description = item.Str("description") ?? "";
                return SimJson.Json(new { subnet = NetworkViews.Subnet(s) }, 201);
            });
        });
        v2.MapDelete("/subnets/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (state.Subnet(id) is not { } s || !VisibleSubnet(t, s)) return Neutron.NotFound("Subnet", id);
            if (!Neutron.Mine(t, s.ProjectId) || !t.CanWrite) return Neutron.Forbidden("delete_subnet");
            if (state.Ports.Any(p => p.FixedIps.Any(f => f.SubnetId == id)))
                return Neutron.Conflict("SubnetInUse", $"Unable to complete operation on subnet {id}: One or more ports have an IP allocation from this subnet.");
            state.Subnets.Remove(s);
            state.Network(s.NetworkId)?.SubnetIds.Remove(id);
            return Results.NoContent();
        }));
    }

    private static void MapQuotas(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        Dictionary<string, int> Quota(string project) => NetworkState.DefaultQuotas.Keys.ToDictionary(k => k, k => state.Limit(project, k));
        v2.MapGet("/quotas", (HttpContext http) => site.Locked(() => http.Token().IsAdmin
            ? SimJson.Json(new { quotas = state.QuotaOverrides.Keys.Select(p => new Dictionary<string, object>(Quota(p).ToDictionary(x => x.Key, x => (object)x.Value)) { ["project_id"] = p, ["tenant_id"] = p }) })
            : Neutron.Forbidden("get_quota")));
        foreach (var suffix in new[] { "", ".json" })
        {
            v2.MapGet("/quotas/{project}" + suffix, (HttpContext http, string project) => site.Locked(() =>
                http.Token().IsAdmin || http.Token().Project?.Id == project
                    ? SimJson.Json(new { quota = Quota(project) })
                    : Neutron.Forbidden("get_quota")));
        }
        v2.MapGet("/quotas/{project}/details.json", (HttpContext http, string project) => site.Locked(() =>
            http.Token().IsAdmin || http.Token().Project?.Id == project
                ? SimJson.Json(new { quota = NetworkState.DefaultQuotas.Keys.ToDictionary(k => k, k => new { limit = state.Limit(project, k), used = state.Used(project, k), reserved = 0 }) })
                : Neutron.Forbidden("get_quota")));
        v2.MapPut("/quotas/{project}", async (HttpContext http, string project) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "quota");
            if (error is not null) return error;
            if (!http.Token().IsAdmin) return Neutron.Forbidden("update_quota");
            return site.Locked(() =>
            {
                var set = state.QuotaOverrides.TryGetValue(project, out var o) ? o : state.QuotaOverrides[project] = [];
                foreach (var p in item!.Value.EnumerateObject())
                {
                    if (!NetworkState.DefaultQuotas.ContainsKey(p.Name)) return Neutron.BadRequest($"Unrecognized attribute(s) '{p.Name}'");
                    if (!p.Value.TryGetInt32(out var limit) || limit < -1) return Neutron.BadRequest($"Invalid input for {p.Name}. Reason: '{p.Value}' is not an integer.");
                    set[p.Name] = limit;
                }
                return SimJson.Json(new { quota = Quota(project) });
            });
        });
    }
}
