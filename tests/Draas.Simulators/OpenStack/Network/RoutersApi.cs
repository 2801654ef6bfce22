using System.Text.Json;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron routers (external gateway on an external network, interfaces on subnets, each a port)
/// and floating IPs (allocated on an external network, associated to a port only when a router joins the
/// port's subnet to that network, one per fixed address).</summary>
internal static class RoutersApi
{
    public static void Map(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        Router? Find(Token t, string id) => state.Routers.FirstOrDefault(r => r.Id == id && Neutron.Mine(t, r.ProjectId));

        v2.MapGet("/routers", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "routers", state.Routers.Where(r => Neutron.Mine(t, r.ProjectId)), r => NetworkViews.Router(r, state), r => r.Id);
        }));
        v2.MapGet("/routers/{id}", (HttpContext http, string id) => site.Locked(() =>
            Find(http.Token(), id) is { } r ? SimJson.Json(new { router = NetworkViews.Router(r, state) }) : Neutron.NotFound("Router", id)));
        v2.MapPost("/routers", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "router");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_router", out error);
            if (error is not null) return error;
            return site.Locked(() =>
            {
                if (state.OverQuota(owner!, "router") is { } over) return Neutron.Conflict("OverQuota", over);
                var r = new Router
                {
                    Id = Guid.NewGuid().ToString(),
                    Name = item.Str("name") ?? "",
                    ProjectId = owner!,
                    Description = item.Str("description") ?? "",
                    AdminStateUp = item.Bool("admin_state_up") ?? true,
                    CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                };
                if (SetGateway(site, r, item.Prop("external_gateway_info")) is { } e) return e;
                state.Routers.Add(r);
                return SimJson.Json(new { router = NetworkViews.Router(r, state) }, 201);
            });
        });
        v2.MapPut("/routers/{id}", async (HttpContext http, string id) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "router");
            if (error is not null) return error;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(t, id) is not { } r) return Neutron.NotFound("Router", id);
                if (!t.CanWrite) return Neutron.Forbidden("update_router");
                if (item.Str("name") is { } name) r.Name = name;
                if (item is { } i && i.TryGetProperty("external_gateway_info", out var gw))
                {
                    if (gw.ValueKind is JsonValueKind.Null || (gw.ValueKind == JsonValueKind.Object && !gw.EnumerateObject().Any()))
                    {
                        if (state.FloatingIps.Any(f => f.RouterId == r.Id))
                            return Neutron.Conflict("RouterExternalGatewayInUseByFloatingIp", $"Gateway cannot be updated for router {r.Id}, since a gateway to external network {r.GatewayNetworkId} is required by one or more floating IPs.");
                        ClearGateway(state, r);
                    }
                    else if (SetGateway(site, r, gw) is { } e) return e;
                }
                return SimJson.Json(new { router = NetworkViews.Router(r, state) });
            });
        });
        v2.MapDelete("/routers/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (Find(t, id) is not { } r) return Neutron.NotFound("Router", id);
            if (!t.CanWrite) return Neutron.Forbidden("delete_router");
            if (state.Ports.Any(p => p.DeviceId == r.Id && p.DeviceOwner == "network:router_interface"))
                return Neutron.Conflict("RouterInUse", $"Router {r.Id} still has ports");
            ClearGateway(state, r);
            state.Routers.Remove(r);
            return Results.NoContent();
        }));
        v2.MapPut("/routers/{id}/add_router_interface", async (HttpContext http, string id) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is null) return Neutron.BadRequest("Malformed request body");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(t, id) is not { } r) return Neutron.NotFound("Router", id);
                if (!t.CanWrite) return Neutron.Forbidden("add_router_interface");
                Port? port;
                if (body.Str("subnet_id") is { } subnetId)
                {
                    if (state.Subnet(subnetId) is not { } s || !(Neutron.Mine(t, s.ProjectId) || state.Network(s.NetworkId) is { Shared: true }))
                        return Neutron.NotFound("Subnet", subnetId);
                    if (s.GatewayIp is null) return Neutron.BadRequest($"Bad router request: Subnet for router interface must have a gateway IP.");
                    if (state.Ports.Any(p => p.DeviceOwner == "network:router_interface" && p.DeviceId == r.Id && p.FixedIps.Any(f => f.SubnetId == s.Id)))
                        return Neutron.BadRequest($"Bad router request: Router already has a port on subnet {s.Id}.");
                    var e = PortsApi.TryCreate(site, new PortRequest(r.ProjectId, s.NetworkId)
                    {
                        FixedIps = [(s.Id, s.GatewayIp)],
                        DeviceId = r.Id,
                        DeviceOwner = "network:router_interface",
                        SecurityGroups = [],
                    }, out port);
                    if (e is not null) return e;
                }
                else if (body.Str("port_id") is { } portId)
                {
                    if (state.Port(portId) is not { } p || !Neutron.Mine(t, p.ProjectId)) return Neutron.NotFound("Port", portId);
                    if (p.DeviceId.Length > 0) return Neutron.Conflict("PortInUse", $"Unable to complete operation on port {p.Id} for network {p.NetworkId}. Port already has an attached device {p.DeviceId}.");
                    p.DeviceId = r.Id;
                    p.DeviceOwner = "network:router_interface";
                    port = p;
                }
                else return Neutron.BadRequest("Bad router request: Either subnet_id or port_id must be specified.");
                return SimJson.Json(new
                {
                    id = r.Id,
                    tenant_id = r.ProjectId,
                    project_id = r.ProjectId,
                    port_id = port!.Id,
                    network_id = port.NetworkId,
                    subnet_id = port.FixedIps.FirstOrDefault()?.SubnetId,
                    subnet_ids = port.FixedIps.Select(f => f.SubnetId).ToArray(),
                });
            });
        });
        v2.MapPut("/routers/{id}/remove_router_interface", async (HttpContext http, string id) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is null) return Neutron.BadRequest("Malformed request body");
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(t, id) is not { } r) return Neutron.NotFound("Router", id);
                var subnetId = body.Str("subnet_id");
                var portId = body.Str("port_id");
                var port = state.Ports.FirstOrDefault(p => p.DeviceId == r.Id && p.DeviceOwner == "network:router_interface"
                    && (portId is not null ? p.Id == portId : p.FixedIps.Any(f => f.SubnetId == subnetId)));
                if (port is null) return Neutron.Error(404, "RouterInterfaceNotFoundForSubnet", $"Router {r.Id} has no interface on subnet {subnetId ?? portId}");
                var subnets = port.FixedIps.Select(f => f.SubnetId).ToHashSet();
                if (state.FloatingIps.Any(f => f.RouterId == r.Id && f.PortId is not null && state.Port(f.PortId) is { } fp && fp.FixedIps.Any(x => subnets.Contains(x.SubnetId))))
                    return Neutron.Conflict("RouterInterfaceInUseByFloatingIP", $"Router interface for subnet {subnetId} on router {r.Id} cannot be deleted, as it is required by one or more floating IPs.");
                state.Ports.Remove(port);
                return SimJson.Json(new { id = r.Id, port_id = port.Id, subnet_id = port.FixedIps.FirstOrDefault()?.SubnetId, tenant_id = r.ProjectId, project_id = r.ProjectId });
            });
        });
        MapFloatingIps(v2, site);
    }

    private static IResult? SetGateway(SimSite site, Router r, JsonElement? info)
    {
        if (info is null) return null;
        var state = site.Networks;
        var networkId = info.Str("network_id");
        if (networkId is null || state.Network(networkId) is not { } n) return Neutron.NotFound("Network", networkId ?? "");
        if (!n.External) return Neutron.BadRequest($"Bad router request: Network {n.Id} is not a valid external network.");
        if (r.GatewayNetworkId == n.Id) return null;
        ClearGateway(state, r);
        // The gateway port belongs to no project, as in Neutron.
        var e = PortsApi.TryCreate(site, new PortRequest("", n.Id) { DeviceId = r.Id, DeviceOwner = "network:router_gateway", SecurityGroups = [] }, out var port);
        if (e is not null) return e;
        r.GatewayNetworkId = n.Id;
        r.GatewayPortId = port!.Id;
        return null;
    }

    private static void ClearGateway(NetworkState state, Router r)
    {
        if (r.GatewayPortId is not null && state.Port(r.GatewayPortId) is { } p) state.Ports.Remove(p);
        r.GatewayNetworkId = null;
        r.GatewayPortId = null;
    }

    private static void MapFloatingIps(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        FloatingIp? Find(Token t, string id) => state.FloatingIps.FirstOrDefault(f => f.Id == id && Neutron.Mine(t, f.ProjectId));

        v2.MapGet("/floatingips", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "floatingips", state.FloatingIps.Where(f => Neutron.Mine(t, f.ProjectId)), NetworkViews.FloatingIp, f => f.Id);
        }));
        v2.MapGet("/floatingips/{id}", (HttpContext http, string id) => site.Locked(() =>
            Find(http.Token(), id) is { } f ? SimJson.Json(new { floatingip = NetworkViews.FloatingIp(f) }) : Neutron.NotFound("FloatingIP", id)));
        v2.MapPost("/floatingips", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "floatingip");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_floatingip", out error);
            if (error is not null) return error;
            return site.Locked(() =>
            {
                var networkId = item.Str("floating_network_id") ?? "";
                if (state.Network(networkId) is not { } n) return Neutron.NotFound("Network", networkId);
                if (!n.External) return Neutron.BadRequest($"Bad floatingip request: Network {n.Id} is not a valid external network.");
                if (state.OverQuota(owner!, "floatingip") is { } over) return Neutron.Conflict("OverQuota", over);
                var subnet = state.Subnets.FirstOrDefault(s => s.NetworkId == n.Id);
                var wanted = item.Str("floating_ip_address");
                if (wanted is not null && !t.IsAdmin) return Neutron.Forbidden("create_floatingip:floating_ip_address");
                var address = wanted ?? (subnet is null ? null : state.NextFreeIp(subnet));
                if (subnet is null || address is null) return Neutron.Conflict("IpAddressGenerationFailure", $"No more IP addresses available on network {n.Id}.");
                if (state.UsedIps(subnet.Id).Contains(address)) return Neutron.Conflict("IpAddressAlreadyAllocated", $"IP address {address} already allocated in subnet {subnet.Id}");
                var f = new FloatingIp
                {
                    Id = Guid.NewGuid().ToString(),
                    FloatingNetworkId = n.Id,
                    FloatingIpAddress = address,
                    ProjectId = owner!,
                    Description = item.Str("description") ?? "",
                    CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                };
                if (Associate(state, t, f, item.Str("port_id"), item.Str("fixed_ip_address")) is { } e) return e;
                // The address is held by a port of its own (device_owner network:floatingip), as in Neutron.
                state.Ports.Add(new Port
                {
                    Id = Guid.NewGuid().ToString(),
                    NetworkId = n.Id,
                    ProjectId = "",
                    MacAddress = NetworkState.NewMac(),
                    FixedIps = [new FixedIp(subnet.Id, address)],
                    DeviceId = f.Id,
                    DeviceOwner = "network:floatingip",
                    PortSecurityEnabled = false,
                    CreatedAt = f.CreatedAt,
                });
                state.FloatingIps.Add(f);
                return SimJson.Json(new { floatingip = NetworkViews.FloatingIp(f) }, 201);
            });
        });
        v2.MapPut("/floatingips/{id}", async (HttpContext http, string id) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "floatingip");
            if (error is not null) return error;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(t, id) is not { } f) return Neutron.NotFound("FloatingIP", id);
                if (item is { } i && i.TryGetProperty("port_id", out var p))
                {
                    if (p.ValueKind == JsonValueKind.Null)
                    {
                        f.PortId = null;
                        f.FixedIpAddress = null;
                        f.RouterId = null;
                    }
                    else if (Associate(state, t, f, p.GetString(), item.Str("fixed_ip_address")) is { } e) return e;
                }
                if (item.Str("description") is { } d) f.Description = d;
                return SimJson.Json(new { floatingip = NetworkViews.FloatingIp(f) });
            });
        });
        v2.MapDelete("/floatingips/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (Find(t, id) is not { } f) return Neutron.NotFound("FloatingIP", id);
            state.FloatingIps.Remove(f);
            state.Ports.RemoveAll(p => p.DeviceOwner == "network:floatingip" && p.DeviceId == f.Id);
            return Results.NoContent();
        }));
    }

    /// <summary>Points a floating IP at a port's fixed address, through a router that has an interface on the
    /// port's subnet and its gateway on the floating IP's network.</summary>
    private static IResult? Associate(NetworkState state, Token t, FloatingIp f, string? portId, string? fixedIp)
    {
        if (portId is null) return null;
        if (state.Port(portId) is not { } port || !Neutron.Mine(t, port.ProjectId)) return Neutron.NotFound("Port", portId);
        var ip = fixedIp is null ? port.FixedIps.FirstOrDefault() : port.FixedIps.FirstOrDefault(x => x.IpAddress == fixedIp);
        if (ip is null) return Neutron.BadRequest($"Bad floatingip request: Port {port.Id} does not have fixed ip {fixedIp}.");
        if (state.FloatingIps.Any(o => o.Id != f.Id && o.PortId == port.Id && o.FixedIpAddress == ip.IpAddress))
            return Neutron.Conflict("FloatingIPPortAlreadyAssociated", $"Cannot associate floating IP {f.FloatingIpAddress} ({f.Id}) with port {port.Id} using fixed IP {ip.IpAddress}, as that fixed IP already has a floating IP on external network {f.FloatingNetworkId}.");
        var router = state.Routers.FirstOrDefault(r => r.GatewayNetworkId == f.FloatingNetworkId
            && state.Ports.Any(p => p.DeviceId == r.Id && p.DeviceOwner == "network:router_interface" && p.FixedIps.Any(x => x.SubnetId == ip.SubnetId)));
        if (router is null)
            return Neutron.Error(404, "ExternalGatewayForFloatingIPNotFound", $"External network {f.FloatingNetworkId} is not reachable from subnet {ip.SubnetId}.  Therefore, cannot associate Port {port.Id} with a Floating IP.");
        f.PortId = port.Id;
        f.FixedIpAddress = ip.IpAddress;
        f.RouterId = router.Id;
        return null;
    }
}
