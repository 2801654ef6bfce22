namespace Draas.Simulators.OpenStack.BlockStorage;

/// <summary>Cinder's state of one site. Accessed only under the site's lock.</summary>
internal sealed class BlockStorageState
{
    public Dictionary<string, Volume> Volumes { get; } = [];
    public Dictionary<string, VolumeType> Types { get; } = [];
    public Dictionary<string, Snapshot> Snapshots { get; } = [];
    public string DefaultTypeName { get; set; } = "pure";

    /// <summary>Per-project quota overrides; a missing key means Cinder's default.</summary>
    public Dictionary<string, Dictionary<string, int>> Quotas { get; } = [];

    public static readonly IReadOnlyDictionary<string, int> DefaultQuotas = new Dictionary<string, int>
    {
        ["volumes"] = 10,
        ["gigabytes"] = 1000,
        ["snapshots"] = 10,
        ["backups"] = 10,
        ["backup_gigabytes"] = 1000,
        ["groups"] = 10,
        ["per_volume_gigabytes"] = -1,
    };

    /// <summary>The default quota class: what a project without overrides gets (Cinder's os-quota-class-sets/default).</summary>
    public Dictionary<string, int> ClassDefaults { get; } = new(DefaultQuotas);

    public int Quota(string projectId, string key) =>
        Quotas.TryGetValue(projectId, out var q) && q.TryGetValue(key, out var v) ? v : ClassDefaults[key];

    public int InUse(string projectId, string key) => key switch
    {
        "volumes" => Volumes.Values.Count(v => v.ProjectId == projectId),
        "gigabytes" => Volumes.Values.Where(v => v.ProjectId == projectId).Sum(v => v.Size)
            + Snapshots.Values.Where(s => s.ProjectId == projectId).Sum(s => s.Size),
        "snapshots" => Snapshots.Values.Count(s => s.ProjectId == projectId),
        _ => 0,
    };
    private long _order;
    public Dictionary<string, long> Order { get; } = [];

    /// <summary>The default types, each asking the site's own backend by its <c>volume_backend_name</c>, as an
    /// operator writes them: a type asking another name would find no valid backend.</summary>
    public void Seed(string backendName)
    {
        Add(new VolumeType { Id = Guid.NewGuid().ToString(), Name = "__DEFAULT__", Description = "Default Volume Type" });
        Add(new VolumeType
        {
            Id = Guid.NewGuid().ToString(),
            Name = "pure",
            Description = "FlashArray",
            ExtraSpecs = { ["volume_backend_name"] = backendName },
        });
        Add(new VolumeType
        {
            Id = Guid.NewGuid().ToString(),
            Name = "pure-replicated",
            Description = "FlashArray, async replication",
            ExtraSpecs =
            {
                ["volume_backend_name"] = backendName,
                ["replication_enabled"] = "<is> True",
                ["replication_type"] = "<in> async",
            },
        });
    }

    public void Add(VolumeType t) => Types[t.Id] = t;

    public VolumeType? FindType(string idOrName) =>
        Types.GetValueOrDefault(idOrName) ?? Types.Values.FirstOrDefault(t => t.Name == idOrName);

    public void Add(Volume v)
    {
        Volumes[v.Id] = v;
        Order[v.Id] = _order++;
    }

    public void Add(Snapshot s)
    {
        Snapshots[s.Id] = s;
        Order[s.Id] = _order++;
    }

    /// <summary>Cinder's default sort: newest first (created_at desc, then id).</summary>
    public IEnumerable<Volume> NewestFirst => Volumes.Values.OrderByDescending(v => Order[v.Id]);
    public IEnumerable<Snapshot> SnapshotsNewestFirst => Snapshots.Values.OrderByDescending(s => Order[s.Id]);
}
