namespace Draas.Simulators.OpenStack.Compute;

/// <summary>Nova's state of one site. Accessed only under the site's lock.</summary>
internal sealed class ComputeState
{
    public Dictionary<string, Server> Servers { get; } = [];
    public Dictionary<string, Flavor> Flavors { get; } = [];
    public List<Keypair> Keypairs { get; } = [];
    public Dictionary<string, ServerGroup> ServerGroups { get; } = [];

    /// <summary>Quota limits set per project with PUT os-quota-sets; the rest are the defaults.</summary>
    public Dictionary<string, Dictionary<string, int>> QuotaOverrides { get; } = [];
    public int NextServerIndex { get; set; } = 1;
    public int NextKeypairId { get; set; } = 1;

    /// <summary>Servers in creation order: the order Nova's list returns (newest first) is applied by callers.</summary>
    public IEnumerable<Server> Ordered => Servers.Values.OrderBy(s => s.Index);

    public void Seed()
    {
        // The devstack flavors, plus one with extra specs like a DR-sized flavor carries.
        Add(new Flavor { Id = "1", Name = "m1.tiny", Vcpus = 1, Ram = 512, Disk = 1 });
        Add(new Flavor { Id = "2", Name = "m1.small", Vcpus = 1, Ram = 2048, Disk = 20 });
        Add(new Flavor { Id = "3", Name = "m1.medium", Vcpus = 2, Ram = 4096, Disk = 40 });
        Add(new Flavor { Id = "4", Name = "m1.large", Vcpus = 4, Ram = 8192, Disk = 80 });
        Add(new Flavor
        {
            Id = "42",
            Name = "dr.small",
            Vcpus = 2,
            Ram = 2048,
            Disk = 0,
            Description = "boot from volume only",
            ExtraSpecs = { ["hw:cpu_policy"] = "shared", ["hw_rng:allowed"] = "True" },
        });
    }

    private void Add(Flavor f) => Flavors[f.Id] = f;

    public Flavor? FindFlavor(string idOrName) =>
        Flavors.GetValueOrDefault(idOrName) ?? Flavors.Values.FirstOrDefault(f => f.Name == idOrName);
}
