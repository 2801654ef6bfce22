namespace Draas.OpenStack.BlockStorage;

/// <summary>Cinder v3 paths, relative to the catalog endpoint (…/v3/{project_id}/).</summary>
internal static class BlockStorageUrls
{
    public const string VolumesDetail = "volumes/detail";
    public const string Volumes = "volumes";
    public static string Volume(string id) => $"volumes/{E(id)}";
    public static string VolumeAction(string id) => $"volumes/{E(id)}/action";
    public static string VolumeMetadata(string id) => $"volumes/{E(id)}/metadata";
    public const string Types = "types";
    public static string Type(string id) => $"types/{E(id)}";
    public static string TypeExtraSpecs(string id) => $"types/{E(id)}/extra_specs";
    public const string Snapshots = "snapshots";
    public const string SnapshotsDetail = "snapshots/detail";
    public static string Snapshot(string id) => $"snapshots/{E(id)}";
    public const string ManageableVolumes = "manageable_volumes";
    public const string ManageableVolumesDetail = "manageable_volumes/detail";
    public const string Pools = "scheduler-stats/get_pools";
    public static string QuotaSet(string projectId) => $"os-quota-sets/{E(projectId)}";
    public const string Services = "os-services";

    static string E(string segment) => Uri.EscapeDataString(segment);
}
