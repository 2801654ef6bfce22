using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.OpenStack.Compute.Servers;

/// <summary>A Nova server as GET /servers/{id} shows it at microversion 2.79.</summary>
public sealed record Server
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>ACTIVE, BUILD, SHUTOFF, ERROR, …</summary>
    public string Status { get; init; } = "";
    public string? TenantId { get; init; }
    public string? UserId { get; init; }
    public string? Description { get; init; }
    public string? KeyName { get; init; }
    public bool Locked { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Since 2.47 the flavor is embedded (name, sizes, extra specs), not linked.</summary>
    public ServerFlavor Flavor { get; init; } = new();
    /// <summary>{"id": …} or "" for a server booted from a volume.</summary>
    public JsonElement Image { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<ServerAddress>> Addresses { get; init; } = new Dictionary<string, IReadOnlyList<ServerAddress>>();
    public IReadOnlyList<SecurityGroupRef> SecurityGroups { get; init; } = [];
    public ServerFault? Fault { get; init; }

    /// <summary>The address the cloud says to reach the server at, when it says one.</summary>
    [JsonPropertyName("accessIPv4")]
    public string? AccessIPv4 { get; init; }

    [JsonPropertyName("hostId")]
    public string? HostId { get; init; }

    [JsonPropertyName("OS-EXT-AZ:availability_zone")]
    public string? AvailabilityZone { get; init; }

    [JsonPropertyName("OS-EXT-STS:vm_state")]
    public string? VmState { get; init; }

    [JsonPropertyName("OS-EXT-STS:task_state")]
    public string? TaskState { get; init; }

    [JsonPropertyName("OS-EXT-STS:power_state")]
    public int? PowerState { get; init; }

    [JsonPropertyName("OS-EXT-SRV-ATTR:host")]
    public string? ComputeHost { get; init; }

    /// <summary>Base64, as booted (admin, 2.3).</summary>
    [JsonPropertyName("OS-EXT-SRV-ATTR:user_data")]
    public string? UserData { get; init; }

    /// <summary>"True" or "" (Nova prints a string).</summary>
    public string? ConfigDrive { get; init; }

    /// <summary>The server group the server is in (2.71).</summary>
    public IReadOnlyList<string> ServerGroups { get; init; } = [];

    [JsonPropertyName("os-extended-volumes:volumes_attached")]
    public IReadOnlyList<AttachedVolume> VolumesAttached { get; init; } = [];

    [JsonIgnore]
    public string? ImageId => Image.ValueKind == JsonValueKind.Object && Image.TryGetProperty("id", out var id) ? id.GetString() : null;
}

public sealed record ServerFlavor
{
    public string? OriginalName { get; init; }
    public int Vcpus { get; init; }
    public int Ram { get; init; }
    public int Disk { get; init; }
    public int Ephemeral { get; init; }
    public int Swap { get; init; }
    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
}

public sealed record ServerAddress
{
    public string Addr { get; init; } = "";
    public int Version { get; init; }
    [JsonPropertyName("OS-EXT-IPS:type")]
    public string? Type { get; init; }
    [JsonPropertyName("OS-EXT-IPS-MAC:mac_addr")]
    public string? MacAddr { get; init; }
}

public sealed record SecurityGroupRef
{
    public string Name { get; init; } = "";
}

public sealed record AttachedVolume
{
    public string Id { get; init; } = "";
    public bool DeleteOnTermination { get; init; }
}

/// <summary>Why a server is in ERROR: what an operator needs to read in a failed boot step.</summary>
public sealed record ServerFault
{
    public int Code { get; init; }
    public string Message { get; init; } = "";
    public string? Details { get; init; }
    public DateTimeOffset? Created { get; init; }
}

/// <summary>What POST /servers answers at once; the rest comes with GET while it builds.</summary>
public sealed record ServerCreated
{
    public string Id { get; init; } = "";
    [JsonPropertyName("adminPass")]
    public string? AdminPass { get; init; }
    public override string ToString() => $"ServerCreated {{ Id = {Id} }}";
}
