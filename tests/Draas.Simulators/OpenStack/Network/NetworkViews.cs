using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron v2.0 JSON shapes as Zed prints them (ML2, no agents).</summary>
internal static class NetworkViews
{
    private static void Common(Dictionary<string, object?> d, string projectId, string description, DateTimeOffset created)
    {
        d["tenant_id"] = projectId;
        d["project_id"] = projectId;
        d["description"] = description;
        d["tags"] = Array.Empty<string>();
        d["revision_number"] = 1;
        d["created_at"] = SimJson.TimeSecZ(created);
        d["updated_at"] = SimJson.TimeSecZ(created);
    }

    public static Dictionary<string, object?> Network(Network n, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = n.Id,
            ["name"] = n.Name,
            ["status"] = "ACTIVE",
            ["admin_state_up"] = n.AdminStateUp,
            ["shared"] = n.Shared,
            ["router:external"] = n.External,
            ["subnets"] = n.SubnetIds.ToArray(),
            ["mtu"] = n.Mtu,
            ["availability_zones"] = new[] { "nova" },
            ["availability_zone_hints"] = Array.Empty<string>(),
            ["ipv4_address_scope"] = null,
            ["ipv6_address_scope"] = null,
            ["port_security_enabled"] = n.PortSecurityEnabled,
            ["is_default"] = false,
            ["l2_adjacency"] = true,
            ["qos_policy_id"] = null,
            ["dns_domain"] = "",
        };
        Common(d, n.ProjectId, n.Description, n.CreatedAt);
        if (admin)
        {
            d["provider:network_type"] = n.NetworkType;
            d["provider:physical_network"] = n.PhysicalNetwork;
            d["provider:segmentation_id"] = n.SegmentationId;
        }
        return d;
    }

    public static Dictionary<string, object?> Subnet(Subnet s)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["network_id"] = s.NetworkId,
            ["cidr"] = s.Cidr,
            ["ip_version"] = 4,
            ["gateway_ip"] = s.GatewayIp,
            ["enable_dhcp"] = s.EnableDhcp,
            ["allocation_pools"] = s.AllocationPools.Select(p => new { start = p.Start, end = p.End }).ToArray(),
            ["dns_nameservers"] = s.DnsNameservers.ToArray(),
            ["host_routes"] = s.HostRoutes.Select(r => new { destination = r.Destination, nexthop = r.Nexthop }).ToArray(),
            ["service_types"] = Array.Empty<string>(),
            ["subnetpool_id"] = null,
            ["ipv6_address_mode"] = null,
            ["ipv6_ra_mode"] = null,
            ["dns_publish_fixed_ip"] = false,
        };
        Common(d, s.ProjectId, s.Description, s.CreatedAt);
        return d;
    }

    public static Dictionary<string, object?> Port(Port p, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["network_id"] = p.NetworkId,
            ["mac_address"] = p.MacAddress,
            ["admin_state_up"] = p.AdminStateUp,
            ["status"] = p.Status,
            ["device_id"] = p.DeviceId,
            ["device_owner"] = p.DeviceOwner,
            ["fixed_ips"] = p.FixedIps.Select(f => new Dictionary<string, object?> { ["subnet_id"] = f.SubnetId, ["ip_address"] = f.IpAddress }).ToArray(),
            ["allowed_address_pairs"] = p.AllowedAddressPairs.Select(a => new { ip_address = a.IpAddress, mac_address = a.MacAddress }).ToArray(),
            ["extra_dhcp_opts"] = Array.Empty<object>(),
            ["security_groups"] = p.SecurityGroups.ToArray(),
            ["port_security_enabled"] = p.PortSecurityEnabled,
            ["binding:vnic_type"] = "normal",
            ["dns_name"] = "",
            ["qos_policy_id"] = null,
            ["qos_network_policy_id"] = null,
            ["propagate_uplink_status"] = false,
        };
        Common(d, p.ProjectId, p.Description, p.CreatedAt);
        if (admin)
        {
            d["binding:host_id"] = p.HostId ?? "";
            d["binding:vif_type"] = p.HostId is null ? "unbound" : "ovs";
            d["binding:profile"] = new { };
            d["binding:vif_details"] = new { };
        }
        return d;
    }

    public static Dictionary<string, object?> Router(Router r, NetworkState state)
    {
        object? gateway = null;
        if (r.GatewayNetworkId is not null)
        {
            var port = r.GatewayPortId is null ? null : state.Port(r.GatewayPortId);
            gateway = new Dictionary<string, object?>
            {
                ["network_id"] = r.GatewayNetworkId,
                ["enable_snat"] = true,
                ["external_fixed_ips"] = port?.FixedIps.Select(f => new { subnet_id = f.SubnetId, ip_address = f.IpAddress }).ToArray() ?? [],
            };
        }
        var d = new Dictionary<string, object?>
        {
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["status"] = "ACTIVE",
            ["admin_state_up"] = r.AdminStateUp,
            ["external_gateway_info"] = gateway,
            ["routes"] = Array.Empty<object>(),
            ["distributed"] = false,
            ["ha"] = false,
            ["availability_zones"] = Array.Empty<string>(),
            ["availability_zone_hints"] = Array.Empty<string>(),
            ["flavor_id"] = null,
        };
        Common(d, r.ProjectId, r.Description, r.CreatedAt);
        return d;
    }

    public static Dictionary<string, object?> SecurityGroup(SecurityGroup g, NetworkState state)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = g.Id,
            ["name"] = g.Name,
            ["stateful"] = true,
            ["shared"] = false,
            ["security_group_rules"] = state.Rules.Where(r => r.SecurityGroupId == g.Id).Select(Rule).ToArray(),
        };
        Common(d, g.ProjectId, g.Description, g.CreatedAt);
        return d;
    }

    public static Dictionary<string, object?> Rule(SecurityGroupRule r)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = r.Id,
            ["security_group_id"] = r.SecurityGroupId,
            ["direction"] = r.Direction,
            ["ethertype"] = r.Ethertype,
            ["protocol"] = r.Protocol,
            ["port_range_min"] = r.PortRangeMin,
            ["port_range_max"] = r.PortRangeMax,
            ["remote_ip_prefix"] = r.RemoteIpPrefix,
            ["remote_group_id"] = r.RemoteGroupId,
            ["remote_address_group_id"] = null,
            ["normalized_cidr"] = r.RemoteIpPrefix,
            ["belongs_to_default_sg"] = null,
        };
        Common(d, r.ProjectId, r.Description, r.CreatedAt);
        return d;
    }

    public static Dictionary<string, object?> FloatingIp(FloatingIp f)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = f.Id,
            ["floating_network_id"] = f.FloatingNetworkId,
            ["floating_ip_address"] = f.FloatingIpAddress,
            ["port_id"] = f.PortId,
            ["fixed_ip_address"] = f.FixedIpAddress,
            ["router_id"] = f.RouterId,
            // No L3 agent: a floating IP stays DOWN, as in the real-cloud rig.
            ["status"] = "DOWN",
            ["port_details"] = null,
            ["port_forwardings"] = Array.Empty<object>(),
            ["dns_domain"] = "",
            ["dns_name"] = "",
            ["qos_policy_id"] = null,
        };
        Common(d, f.ProjectId, f.Description, f.CreatedAt);
        return d;
    }
}
