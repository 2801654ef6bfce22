namespace Draas.OpenStack.Networking;

/// <summary>Neutron paths, relative to the catalog endpoint (which has no version: http://host:9696).</summary>
internal static class NetworkingUrls
{
    public const string Networks = "v2.0/networks";
    public static string Network(string id) => $"v2.0/networks/{E(id)}";
    public const string Subnets = "v2.0/subnets";
    public static string Subnet(string id) => $"v2.0/subnets/{E(id)}";
    public const string Ports = "v2.0/ports";
    public static string Port(string id) => $"v2.0/ports/{E(id)}";
    public const string SecurityGroups = "v2.0/security-groups";
    public static string SecurityGroup(string id) => $"v2.0/security-groups/{E(id)}";
    public const string SecurityGroupRules = "v2.0/security-group-rules";
    public static string SecurityGroupRule(string id) => $"v2.0/security-group-rules/{E(id)}";
    public const string Routers = "v2.0/routers";
    public static string Router(string id) => $"v2.0/routers/{E(id)}";
    public static string RouterAddInterface(string id) => $"v2.0/routers/{E(id)}/add_router_interface";
    public static string RouterRemoveInterface(string id) => $"v2.0/routers/{E(id)}/remove_router_interface";
    public const string FloatingIps = "v2.0/floatingips";
    public static string FloatingIp(string id) => $"v2.0/floatingips/{E(id)}";
    public static string Quota(string projectId) => $"v2.0/quotas/{E(projectId)}";

    static string E(string segment) => Uri.EscapeDataString(segment);
}
