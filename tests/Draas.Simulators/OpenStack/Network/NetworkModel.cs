namespace Draas.Simulators.OpenStack.Network;

public sealed record Network(string Id, string Name, string ProjectId, bool Shared, bool External, int Mtu,
    string NetworkType, int? SegmentationId, IReadOnlyList<string> SubnetIds, DateTimeOffset CreatedAt);

public sealed record Subnet(string Id, string Name, string NetworkId, string ProjectId, string Cidr, string GatewayIp,
    string PoolStart, string PoolEnd, DateTimeOffset CreatedAt);
