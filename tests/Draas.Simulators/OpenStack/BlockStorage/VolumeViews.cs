using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder v3 JSON shapes (api-ref block-storage v3), including the extension attributes with
/// irregular names that admins see (<c>os-vol-host-attr:host</c>, <c>os-vol-tenant-attr:tenant_id</c>).</summary>
internal static class VolumeViews
{
    public static string Base(SimSite site, string projectId) => $"{site.ServiceUrl("volume")}/v3/{projectId}";

    public static object Links(SimSite site, string projectId, string kind, string id) => new[]
    {
        new { href = $"{Base(site, projectId)}/{kind}/{id}", rel = "self" },
        new { href = $"{site.ServiceUrl("volume")}/{projectId}/{kind}/{id}", rel = "bookmark" },
    };

    public static object Summary(SimSite site, Volume v) => new { id = v.Id, name = v.Name, links = Links(site, v.ProjectId, "volumes", v.Id) };

    /// <summary>Cinder keeps managing, error_managing and error_managing_deleting internally but shows them as
    /// creating, error and deleting (cinder/api/v2/views/volumes.py, _get_volume_status, bug 1504007).</summary>
    public static string ApiStatus(string status) => status switch
    {
        "managing" => "creating",
        "error_managing" => "error",
        "error_managing_deleting" => "deleting",
        _ => status,
    };

    public static Dictionary<string, object?> Detail(SimSite site, Volume v, Microversion mv, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = v.Id,
            ["name"] = v.Name,
            ["description"] = v.Description,
            ["status"] = ApiStatus(v.Status),
            ["size"] = v.Size,
            ["availability_zone"] = v.AvailabilityZone,
            ["created_at"] = SimJson.Time(v.CreatedAt),
            ["updated_at"] = v.UpdatedAt is { } u ? SimJson.Time(u) : null,
            ["attachments"] = v.Attachments.Select(a => new
            {
                id = a.VolumeId,
                attachment_id = a.Id,
                volume_id = a.VolumeId,
                server_id = a.ServerId,
                host_name = a.HostName,
                device = a.Device,
                attached_at = SimJson.Time(a.AttachedAt),
            }).ToArray(),
            ["links"] = Links(site, v.ProjectId, "volumes", v.Id),
            ["metadata"] = v.Metadata,
            ["bootable"] = v.Bootable ? "true" : "false",
            ["encrypted"] = false,
            ["multiattach"] = false,
            ["volume_type"] = v.Type.Name,
            ["snapshot_id"] = v.SnapshotId,
            ["source_volid"] = v.SourceVolid,
            ["consistencygroup_id"] = null,
            ["replication_status"] = v.Type.ExtraSpecs.ContainsKey("replication_enabled") ? "enabled" : null,
            ["migration_status"] = v.MigrationStatus,
            ["user_id"] = v.UserId,
            ["os-vol-tenant-attr:tenant_id"] = v.ProjectId,
        };
        if (v.ImageMetadata.Count > 0) d["volume_image_metadata"] = v.ImageMetadata;
        if (admin)
        {
            d["os-vol-host-attr:host"] = v.Host;
            d["os-vol-mig-status-attr:migstat"] = v.MigrationStatus;
            d["os-vol-mig-status-attr:name_id"] = null;
        }
        if (mv >= new Microversion(3, 13)) d["group_id"] = null;
        if (mv >= new Microversion(3, 21) && admin) d["provider_id"] = null;
        if (mv >= new Microversion(3, 48))
        {
            d["shared_targets"] = false;
            if (admin) d["service_uuid"] = site.Backend.ServiceHost;
        }
        if (mv >= new Microversion(3, 61) && admin) d["cluster_name"] = null;
        if (mv >= new Microversion(3, 63)) d["volume_type_id"] = v.Type.Id;
        if (mv >= new Microversion(3, 65)) d["consumes_quota"] = true;
        return d;
    }

    public static Dictionary<string, object?> Snapshot(SimSite site, Snapshot s, Microversion mv)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["description"] = s.Description,
            ["status"] = s.Status,
            ["size"] = s.Size,
            ["volume_id"] = s.VolumeId,
            ["created_at"] = SimJson.Time(s.CreatedAt),
            ["updated_at"] = s.UpdatedAt is { } u ? SimJson.Time(u) : null,
            ["metadata"] = s.Metadata,
            ["os-extended-snapshot-attributes:progress"] = s.Status == "available" ? "100%" : "0%",
            ["os-extended-snapshot-attributes:project_id"] = s.ProjectId,
        };
        if (mv >= new Microversion(3, 14)) d["group_snapshot_id"] = null;
        if (mv >= new Microversion(3, 41)) d["user_id"] = s.UserId;
        if (mv >= new Microversion(3, 65)) d["consumes_quota"] = true;
        return d;
    }

    public static Dictionary<string, object?> Type(VolumeType t, bool admin)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = t.Id,
            ["name"] = t.Name,
            ["description"] = t.Description,
            ["is_public"] = t.IsPublic,
            ["os-volume-type-access:is_public"] = t.IsPublic,
            ["extra_specs"] = t.ExtraSpecs,
        };
        if (admin) d["qos_specs_id"] = null;
        return d;
    }
}
