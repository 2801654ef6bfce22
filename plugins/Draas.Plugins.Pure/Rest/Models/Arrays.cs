namespace Draas.Plugins.Pure.Rest.Models;

public sealed record ArrayInfo(string? Id, string Name, string? Version, string? Os, long? Capacity, Space? Space);

public sealed record ArraySpace(string? Name, long? Capacity, Space? Space);

public sealed record ArrayConnection(
    string? Id,
    string? Name,
    NamedRef? Remote,
    string? ManagementAddress,
    string Status,
    string? Type,
    string? Version);

public sealed record ApiVersions(IReadOnlyList<string> Version);

public sealed record LoginUser(string? Username);
