namespace Draas.Workflows.Runs.Steps;

/// <summary>The plan's servers to stop at the primary and its replication groups (by id) to demote where the plugin can.</summary>
public sealed record FencePrimaryInput(IReadOnlyList<PlannedServer> Servers, IReadOnlyList<Guid> Groups);

/// <summary>What fencing did: <paramref name="Fenced"/> when nothing of the plan still runs at the primary, else why not.</summary>
public sealed record FencePrimaryOutput(bool PrimaryAnswered, string Site, bool Fenced, string? Reason, IReadOnlyList<FencedServer> Servers, IReadOnlyList<FencedGroup> Groups);

/// <summary>One primary server as fencing left it: <paramref name="Off"/> when it runs nothing now.</summary>
public sealed record FencedServer(string ServerId, string? Name, string? Was, bool Off, string Detail);

public sealed record FencedGroup(string Group, bool Demoted, string Detail);
