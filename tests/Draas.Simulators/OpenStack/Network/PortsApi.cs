using System.Text.Json;
using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>What a new port asks for; Nova builds one for <c>networks: [{uuid}]</c> as a client would.</summary>
internal sealed record PortRequest(string Owner, string NetworkId)
{
    public string Name { get; init; } = "";
    /// <summary>Each (subnet, address); either may be null: Neutron picks the subnet or the next free address.</summary>
    public List<(string? SubnetId, string? IpAddress)> FixedIps { get; init; } = [];
    /// <summary>Null: the project's default group (when port security is on).</summary>
    public List<string>? SecurityGroups { get; init; }
    public bool? PortSecurityEnabled { get; init; }
    public List<AddressPair> AllowedAddressPairs { get; init; } = [];
    public string DeviceId { get; init; } = "";
    public string DeviceOwner { get; init; } = "";
    public string Description { get; init; } = "";
    public string? MacAddress { get; init; }
}

/// <summary>Neutron ports: list (filters such as <c>device_id</c>, <c>network_id</c>, <c>fixed_ips=ip_address=</c>),
/// show, create (fixed IPs in the subnet and free, MAC, allowed address pairs, port security, security
/// groups of the port's project), update, delete (not a port a server or router uses).</summary>
internal static class PortsApi
{
    public static void Map(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        v2.MapGet("/ports", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "ports", state.Ports.Where(p => Neutron.Mine(t, p.ProjectId)), p => NetworkViews.Port(p, t.IsAdmin), p => p.Id);
        }));
        v2.MapGet("/ports/{id}", (HttpContext http, string id) => site.Locked(() =>
            state.Port(id) is { } p && Neutron.Mine(http.Token(), p.ProjectId)
                ? SimJson.Json(new { port = NetworkViews.Port(p, http.Token().IsAdmin) })
                : Neutron.NotFound("Port", id)));
        v2.MapPost("/ports", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "port");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_port", out error);
            if (error is not null) return error;
            if (!TryRead(item, out var fixedIps, out var groups, out var pairs, out error)) return error!;
            return site.Locked(() =>
            {
                var networkId = item.Str("network_id") ?? "";
                if (state.Network(networkId) is not { } n || !NetworkApi.Visible(t, n)) return Neutron.NotFound("Network", networkId);
                // Zed's policy: only the network's owner (or an admin) picks addresses or MACs on it.
                if (!t.IsAdmin && n.ProjectId != owner && (fixedIps.Any(f => f.IpAddress is not null) || item.Str("mac_address") is not null))
                    return Neutron.Forbidden("create_port:fixed_ips:ip_address");
                var error2 = TryCreate(site, new PortRequest(owner!, networkId)
                {
                    Name = item.Str("name") ?? "",
                    FixedIps = fixedIps,
                    SecurityGroups = groups,
                    PortSecurityEnabled = item.Bool("port_security_enabled"),
                    AllowedAddressPairs = pairs,
                    DeviceId = item.Str("device_id") ?? "",
                    DeviceOwner = item.Str("device_owner") ?? "",
                    Description = item.Str("description") ?? "",
                    MacAddress = item.Str("mac_address"),
                }, out var port);
                return error2 ?? SimJson.Json(new { port = NetworkViews.Port(port!, t.IsAdmin) }, 201);
            });
        });
        v2.MapPut("/ports/{id}", async (HttpContext http, string id) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "port");
            if (error is not null) return error;
            if (!TryRead(item, out _, out var groups, out var pairs, out error)) return error!;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (state.Port(id) is not { } p || !Neutron.Mine(t, p.ProjectId)) return Neutron.NotFound("Port", id);
                if (!t.CanWrite) return Neutron.Forbidden("update_port");
                var security = item.Bool("port_security_enabled") ?? p.PortSecurityEnabled;
                var newGroups = item.Prop("security_groups") is not null ? groups! : p.SecurityGroups;
                var newPairs = item.Prop("allowed_address_pairs") is not null ? pairs : p.AllowedAddressPairs;
                if (!security && newGroups.Count > 0)
                    return Neutron.Conflict("PortSecurityPortHasSecurityGroup", "Port has security group associated. Cannot disable port security or ip address until security group is removed");
                if (!security && newPairs.Count > 0)
                    return Neutron.Conflict("AddressPairAndPortSecurityRequired", "Port Security must be enabled in order to have allowed address pairs on a port.");
                if (newGroups.FirstOrDefault(g => state.Group(g) is not { } sg || sg.ProjectId != p.ProjectId) is { } missing)
                    return Neutron.NotFound("SecurityGroup", missing);
                p.PortSecurityEnabled = security;
                p.SecurityGroups = [.. newGroups];
                p.AllowedAddressPairs = [.. newPairs.Select(a => a with { MacAddress = a.MacAddress.Length == 0 ? p.MacAddress : a.MacAddress })];
                if (item.Str("name") is { } name) p.Name = name;
                if (item.Str("description") is { } d) p.Description = d;
                if (item.Str("device_id") is { } dev) p.DeviceId = dev;
                if (item.Str("device_owner") is { } devOwner) p.DeviceOwner = devOwner;
                return SimJson.Json(new { port = NetworkViews.Port(p, t.IsAdmin) });
            });
        });
        v2.MapDelete("/ports/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (state.Port(id) is not { } p || !Neutron.Mine(t, p.ProjectId)) return Neutron.NotFound("Port", id);
            if (!t.CanWrite) return Neutron.Forbidden("delete_port");
            if (p.DeviceOwner.StartsWith("network:router", StringComparison.Ordinal))
                return Neutron.Conflict("PortInUse", $"Port {id} cannot be deleted directly via the port API: has device owner {p.DeviceOwner}.");
            Delete(state, p);
            return Results.NoContent();
        }));
    }

    /// <summary>Removes a port and lets go of the floating IPs on it (Neutron disassociates them).</summary>
    internal static void Delete(NetworkState state, Port p)
    {
        foreach (var f in state.FloatingIps.Where(f => f.PortId == p.Id))
        {
            f.PortId = null;
            f.FixedIpAddress = null;
            f.RouterId = null;
        }
        state.Ports.Remove(p);
    }

    private static bool TryRead(JsonElement? item, out List<(string? SubnetId, string? IpAddress)> fixedIps, out List<string>? groups, out List<AddressPair> pairs, out IResult? error)
    {
        fixedIps = [];
        groups = null;
        pairs = [];
        error = null;
        if (item.Prop("fixed_ips") is { } ips)
        {
            if (ips.ValueKind != JsonValueKind.Array) { error = Neutron.BadRequest("Invalid input for fixed_ips. Reason: must be a list."); return false; }
            foreach (var ip in ips.EnumerateArray()) fixedIps.Add((((JsonElement?)ip).Str("subnet_id"), ((JsonElement?)ip).Str("ip_address")));
        }
        if (item.Prop("security_groups") is { } sgs)
        {
            if (sgs.ValueKind != JsonValueKind.Array) { error = Neutron.BadRequest("Invalid input for security_groups. Reason: must be a list."); return false; }
            groups = [.. sgs.EnumerateArray().Select(g => g.GetString() ?? "")];
        }
        if (item.Prop("allowed_address_pairs") is { } aps)
        {
            if (aps.ValueKind != JsonValueKind.Array) { error = Neutron.BadRequest("Invalid input for allowed_address_pairs. Reason: must be a list."); return false; }
            foreach (var a in aps.EnumerateArray())
            {
                var ip = ((JsonElement?)a).Str("ip_address");
                if (ip is null || !(System.Net.IPAddress.TryParse(ip, out _) || NetworkState.IsCidr(ip)))
                { error = Neutron.BadRequest($"Invalid input for allowed_address_pairs. Reason: '{ip}' is not a valid IP address."); return false; }
                pairs.Add(new AddressPair(ip, ((JsonElement?)a).Str("mac_address") ?? ""));
            }
        }
        return true;
    }

    /// <summary>Creates a port as Neutron would; null on success, else Neutron's error. Under the site's lock.</summary>
    internal static IResult? TryCreate(SimSite site, PortRequest r, out Port? port)
    {
        port = null;
        var state = site.Networks;
        var now = site.Scheduler.Clock.GetUtcNow();
        if (state.Network(r.NetworkId) is not { } n) return Neutron.NotFound("Network", r.NetworkId);
        state.EnsureDefaultGroup(r.Owner, now);
        if (state.OverQuota(r.Owner, "port") is { } over) return Neutron.Conflict("OverQuota", over);
        var security = r.PortSecurityEnabled ?? n.PortSecurityEnabled;
        var groups = r.SecurityGroups ?? (security && !r.DeviceOwner.StartsWith("network:", StringComparison.Ordinal) ? [state.EnsureDefaultGroup(r.Owner, now).Id] : []);
        if (!security && groups.Count > 0)
            return Neutron.BadRequest("Port security must be enabled and port must have an IP address in order to use security groups.");
        if (!security && r.AllowedAddressPairs.Count > 0)
            return Neutron.Conflict("AddressPairAndPortSecurityRequired", "Port Security must be enabled in order to have allowed address pairs on a port.");
        foreach (var g in groups)
        {
            if (state.Group(g) is not { } sg || sg.ProjectId != r.Owner) return Neutron.NotFound("SecurityGroup", g);
        }
        var subnets = state.Subnets.Where(s => s.NetworkId == n.Id).ToList();
        var ips = new List<FixedIp>();
        var wanted = r.FixedIps.Count > 0 ? r.FixedIps : subnets.Count > 0 ? [(subnets[0].Id, null)] : [];
        foreach (var (subnetId, ip) in wanted)
        {
            var subnet = subnetId is not null ? subnets.FirstOrDefault(s => s.Id == subnetId)
                : ip is not null ? subnets.FirstOrDefault(s => NetworkState.InCidr(ip, s.Cidr)) : subnets.FirstOrDefault();
            if (subnet is null)
                return subnetId is not null
                    ? Neutron.BadRequest($"Invalid input for operation: Failed to create port on network {n.Id}, because fixed_ips included invalid subnet {subnetId}.")
                    : Neutron.BadRequest($"Invalid input for operation: IP address {ip} is not a valid IP for any of the subnets on the specified network.");
            if (ip is not null)
            {
                if (!NetworkState.InCidr(ip, subnet.Cidr)) return Neutron.BadRequest($"Invalid input for operation: IP address {ip} is not a valid IP for the specified subnet.");
                if (state.UsedIps(subnet.Id).Contains(ip) || ips.Any(x => x.IpAddress == ip) || (ip == subnet.GatewayIp && !r.DeviceOwner.StartsWith("network:router_interface", StringComparison.Ordinal)))
                    return Neutron.Conflict("IpAddressAlreadyAllocated", $"IP address {ip} already allocated in subnet {subnet.Id}");
                ips.Add(new FixedIp(subnet.Id, ip));
            }
            else
            {
                var free = state.NextFreeIp(subnet);
                if (free is null || ips.Any(x => x.IpAddress == free))
                    return Neutron.Conflict("IpAddressGenerationFailure", $"No more IP addresses available on network {n.Id}.");
                ips.Add(new FixedIp(subnet.Id, free));
            }
        }
        var mac = r.MacAddress ?? NetworkState.NewMac();
        if (state.Ports.Any(p => p.NetworkId == n.Id && p.MacAddress == mac))
            return Neutron.Conflict("MacAddressInUse", $"Unable to complete operation for network {n.Id}. The mac address {mac} is in use.");
        port = new Port
        {
            Id = Guid.NewGuid().ToString(),
            Name = r.Name,
            NetworkId = n.Id,
            ProjectId = r.Owner,
            MacAddress = mac,
            FixedIps = ips,
            AllowedAddressPairs = [.. r.AllowedAddressPairs.Select(a => a with { MacAddress = a.MacAddress.Length == 0 ? mac : a.MacAddress })],
            PortSecurityEnabled = security,
            SecurityGroups = [.. groups],
            DeviceId = r.DeviceId,
            DeviceOwner = r.DeviceOwner,
            Description = r.Description,
            CreatedAt = now,
        };
        state.Ports.Add(port);
        return null;
    }

    internal static bool Visible(Token t, Port p) => Neutron.Mine(t, p.ProjectId);
}
