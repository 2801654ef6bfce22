using System.Text.Json;
using System.Text.Json.Serialization;

namespace Draas.OpenStack.Compute.Servers;

/// <summary>POST /servers. For a recovered server: boot from the imported volume, no image.</summary>
public sealed record CreateServerOptions
{
    public required string Name { get; init; }
    [JsonPropertyName("flavorRef")]
    public required string FlavorRef { get; init; }
    /// <summary>Leave null to boot from a volume in <see cref="BlockDeviceMappingV2"/>.</summary>
    [JsonPropertyName("imageRef")]
    public string? ImageRef { get; init; }
    public IReadOnlyList<BlockDeviceMapping>? BlockDeviceMappingV2 { get; init; }
    public ServerNetworks? Networks { get; init; }
    public string? KeyName { get; init; }
    public string? AvailabilityZone { get; init; }
    public string? Description { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public IReadOnlyList<SecurityGroupRef>? SecurityGroups { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Base64 user data, as Nova wants it.</summary>
    public string? UserData { get; init; }
    public bool? ConfigDrive { get; init; }

    /// <summary>Put the server into a server group (sent beside "server" as os:scheduler_hints).</summary>
    [JsonIgnore]
    public string? ServerGroupId { get; init; }
}

/// <summary>One entry of block_device_mapping_v2.</summary>
public sealed record BlockDeviceMapping
{
    public int? BootIndex { get; init; }
    public string? Uuid { get; init; }
    /// <summary>volume, image, snapshot or blank.</summary>
    public required string SourceType { get; init; }
    /// <summary>volume or local.</summary>
    public string? DestinationType { get; init; }
    public bool? DeleteOnTermination { get; init; }
    public int? VolumeSize { get; init; }
    public string? DeviceName { get; init; }
    public string? Tag { get; init; }

    /// <summary>Boot from an existing volume, which stays when the server is deleted.</summary>
    public static BlockDeviceMapping BootVolume(string volumeId) =>
        new() { BootIndex = 0, Uuid = volumeId, SourceType = "volume", DestinationType = "volume", DeleteOnTermination = false };

    /// <summary>A further existing volume attached at boot.</summary>
    public static BlockDeviceMapping DataVolume(string volumeId, int bootIndex = -1) =>
        new() { BootIndex = bootIndex, Uuid = volumeId, SourceType = "volume", DestinationType = "volume", DeleteOnTermination = false };
}

/// <summary>"networks": "none", "auto", or a list of networks/ports (the list is needed since 2.37).</summary>
[JsonConverter(typeof(ServerNetworksConverter))]
public sealed record ServerNetworks
{
    public string? Keyword { get; private init; }
    public IReadOnlyList<NetworkRef> Ports { get; private init; } = [];

    public static ServerNetworks None { get; } = new() { Keyword = "none" };
    public static ServerNetworks Auto { get; } = new() { Keyword = "auto" };
    public static ServerNetworks Of(params NetworkRef[] networks) => new() { Ports = networks };

    sealed class ServerNetworksConverter : JsonConverter<ServerNetworks>
    {
        public override ServerNetworks Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? new ServerNetworks { Keyword = reader.GetString() }
                : new ServerNetworks { Ports = JsonSerializer.Deserialize<List<NetworkRef>>(ref reader, options) ?? [] };

        public override void Write(Utf8JsonWriter writer, ServerNetworks value, JsonSerializerOptions options)
        {
            if (value.Keyword is not null) writer.WriteStringValue(value.Keyword);
            else JsonSerializer.Serialize(writer, value.Ports, options);
        }
    }
}

public sealed record NetworkRef
{
    public string? Uuid { get; init; }
    public string? Port { get; init; }
    public string? FixedIp { get; init; }
    public string? Tag { get; init; }
}

public sealed record ServerListOptions
{
    public bool? AllTenants { get; init; }
    /// <summary>With <see cref="AllTenants"/>: one project's servers.</summary>
    public string? ProjectId { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public int? Limit { get; init; }
    public string? Marker { get; init; }
}
