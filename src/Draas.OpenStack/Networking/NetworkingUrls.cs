namespace Draas.OpenStack.Networking;

/// <summary>Neutron paths, relative to the catalog endpoint (which has no version: http://host:9696).</summary>
internal static class NetworkingUrls
{
    public const string Networks = "v2.0/networks";
    public static string Network(string id) => $"v2.0/networks/{Uri.EscapeDataString(id)}";
    public const string Subnets = "v2.0/subnets";
    public static string Subnet(string id) => $"v2.0/subnets/{Uri.EscapeDataString(id)}";
}
