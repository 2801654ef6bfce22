namespace Draas.Simulators.OpenStack.Compute;

public sealed class Server
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public string VmState { get; set; } = "building";
    public int PowerState { get; set; }
    public string? TaskState { get; set; } = "scheduling";
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public required Flavor Flavor { get; init; }
    public string? ImageId { get; init; }
    public string? KeyName { get; init; }
    /// <summary>Base64, as the client sent it.</summary>
    public string? UserData { get; init; }
    public string? Description { get; set; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    /// <summary>The Neutron ports of the server's NICs, in order (addresses and security groups are theirs).</summary>
    public List<string> PortIds { get; init; } = [];
    public bool ConfigDrive { get; init; }

    /// <summary>The honest lab's loopback address for this server (Nova's accessIPv4); null otherwise.</summary>
    public string? AccessIPv4 { get; init; }
    public List<BlockDevice> BlockDevices { get; } = [];
    public List<string> Tags { get; init; } = [];
    public string AvailabilityZone { get; init; } = "nova";
    public required string Host { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LaunchedAt { get; set; }
    public string? ServerGroupId { get; init; }
    public ServerFault? Fault { get; set; }
    public required int Index { get; init; }
}

/// <summary>A block device mapping; the volume ones are what Nova records for boot-from-volume and attach.</summary>
public sealed record BlockDevice(string Id, string? VolumeId, string Device, int? BootIndex, bool DeleteOnTermination, string? Tag);

public sealed record ServerFault(int Code, string Message, string Details, DateTimeOffset Created);

public sealed class Flavor
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Vcpus { get; init; }
    public required int Ram { get; init; }
    public required int Disk { get; init; }
    public int Ephemeral { get; init; }
    public int Swap { get; init; }
    public double RxtxFactor { get; init; } = 1.0;
    public bool IsPublic { get; init; } = true;
    public string? Description { get; init; }
    public Dictionary<string, string> ExtraSpecs { get; init; } = [];
}

public sealed class Keypair
{
    public required int Id { get; init; }
    public required string Name { get; init; }
    public required string UserId { get; init; }
    public required string PublicKey { get; init; }
    public required string Fingerprint { get; init; }
    public string Type { get; init; } = "ssh";
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class ServerGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Policy { get; init; }
    public Dictionary<string, int> Rules { get; init; } = [];
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public List<string> Members { get; } = [];
}
