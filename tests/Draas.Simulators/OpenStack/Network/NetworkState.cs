namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron's seeded, read-only state of one site: a shared tenant network and an external one.</summary>
internal sealed class NetworkState
{
    public List<Network> Networks { get; } = [];
    public List<Subnet> Subnets { get; } = [];

    public void Seed(string adminProjectId, int siteIndex, DateTimeOffset now)
    {
        var octet = 10 + siteIndex;
        AddNetwork("private", $"10.{octet}.0", shared: true, external: false, adminProjectId, now, 1001 + siteIndex);
        AddNetwork("public", $"172.{24 + siteIndex}.4", shared: false, external: true, adminProjectId, now, null);
        AddNetwork("dr-isolated", $"10.{octet + 100}.0", shared: true, external: false, adminProjectId, now, 2001 + siteIndex);
    }

    private void AddNetwork(string name, string prefix, bool shared, bool external, string project, DateTimeOffset now, int? segment)
    {
        var netId = Guid.NewGuid().ToString();
        var subnet = new Subnet(Guid.NewGuid().ToString(), $"{name}-subnet", netId, project, $"{prefix}.0/24",
            $"{prefix}.1", $"{prefix}.2", $"{prefix}.254", now);
        Subnets.Add(subnet);
        Networks.Add(new Network(netId, name, project, shared, external, external ? 1500 : 1450,
            external ? "flat" : "vxlan", segment, [subnet.Id], now));
    }

    public Network? Find(string idOrName) =>
        Networks.FirstOrDefault(n => n.Id == idOrName) ?? Networks.FirstOrDefault(n => n.Name == idOrName);
}
