namespace Draas.OpenStack.Compute;

/// <summary>Nova v2.1 paths, relative to the catalog endpoint (…/v2.1/).</summary>
internal static class ComputeUrls
{
    public const string Servers = "servers";
    public const string ServersDetail = "servers/detail";
    public static string Server(string id) => $"servers/{E(id)}";
    public static string ServerAction(string id) => $"servers/{E(id)}/action";
    public static string ServerMetadata(string id) => $"servers/{E(id)}/metadata";
    public static string VolumeAttachments(string serverId) => $"servers/{E(serverId)}/os-volume_attachments";
    public static string VolumeAttachment(string serverId, string volumeId) => $"servers/{E(serverId)}/os-volume_attachments/{E(volumeId)}";
    public const string Flavors = "flavors";
    public const string FlavorsDetail = "flavors/detail";
    public static string Flavor(string id) => $"flavors/{E(id)}";
    public static string FlavorExtraSpecs(string id) => $"flavors/{E(id)}/os-extra_specs";
    public const string Keypairs = "os-keypairs";
    public static string Keypair(string name) => $"os-keypairs/{E(name)}";
    public const string ServerGroups = "os-server-groups";
    public static string ServerGroup(string id) => $"os-server-groups/{E(id)}";
    public const string AvailabilityZones = "os-availability-zone";
    public static string QuotaSet(string projectId) => $"os-quota-sets/{E(projectId)}";
    public const string Limits = "limits";

    static string E(string segment) => Uri.EscapeDataString(segment);
}
