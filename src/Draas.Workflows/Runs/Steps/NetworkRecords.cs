namespace Draas.Workflows.Runs.Steps;

/// <summary>A network to recreate (mode <c>create</c>) or copy into a drill's bubble (<c>bubble</c>), with its subnets.</summary>
public sealed record EnsureNetworkInput(string NetworkId, string? Name, string Mode, IReadOnlyList<PlannedSubnet>? Subnets = null);

public sealed record PlannedSubnet(string Id, string? Name, string? Cidr, string? GatewayIp);

/// <summary>The recreated network and each captured subnet's copy (old subnet id → new).</summary>
public sealed record EnsureNetworkOutput(string NetworkId, string? Name, string? Mode, IReadOnlyDictionary<string, string> Subnets);

public sealed record EnsureRouterInput(string RouterId, string? Name, string Mode, string? ExternalNetwork, IReadOnlyList<string> Subnets);

public sealed record EnsureRouterOutput(string RouterId, string? Name, string? ExternalNetworkId, IReadOnlyList<string> Interfaces, string? Note);

public sealed record EnsureSecurityGroupsInput(IReadOnlyList<PlannedSecurityGroup> Groups);

/// <summary>A security group as the plan shows it: its rule count and the groups its rules name as remote.</summary>
public sealed record PlannedSecurityGroup(string Id, string? Name, int Rules, IReadOnlyList<string> RemoteGroups);

/// <summary>Each captured group's recovered group (by captured id), and what the step made (a rollback removes only that).</summary>
public sealed record EnsureSecurityGroupsOutput(
    IReadOnlyDictionary<string, RecoveredGroup> Groups,
    IReadOnlyList<string> Created,
    int RulesCreated,
    IReadOnlyList<string> RulesAddedToExisting,
    string? MadeDefaultGroup,
    IReadOnlyList<string> Skipped);

public sealed record RecoveredGroup(string Id, string? Name);

public sealed record EnsureServerGroupInput(string GroupId, string? Name = null, string? Policy = null);

public sealed record EnsureServerGroupOutput(string ServerGroupId, string? Name, string? Policy, bool Created);

/// <summary>One NIC of a server to recreate as a port; <paramref name="Mode"/> as its network's (map, create, bubble).</summary>
public sealed record EnsurePortInput(
    string PortId,
    string ServerId,
    string? Server = null,
    int Nic = 0,
    string? NetworkId = null,
    string? Network = null,
    string Mode = "map",
    IReadOnlyList<string>? FixedIps = null,
    bool KeepFixedIps = true,
    IReadOnlyList<string>? SecurityGroups = null,
    bool PortSecurityEnabled = true,
    int AllowedAddressPairs = 0);

/// <summary>The port made; <paramref name="Changed"/> names each fixed address that could not be kept and why.</summary>
public sealed record EnsurePortOutput(string PortId, string NetworkId, string Mode, IReadOnlyList<string> FixedIps, string? Mac, IReadOnlyList<string> SecurityGroups, IReadOnlyList<AddressChange> Changed);

public sealed record AddressChange(string? From, string Reason);

public sealed record EnsureFloatingIpInput(
    string FloatingIpId,
    string? Address,
    string ServerId,
    string? Server,
    string PortId,
    string? FixedIpAddress,
    string? ExternalNetwork);

public sealed record EnsureFloatingIpOutput(string FloatingIpId, string? Address, string? Was, string? PortId, string? FixedIpAddress);
