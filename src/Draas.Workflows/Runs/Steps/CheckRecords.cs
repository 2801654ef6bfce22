using Draas.Domain.Protection;

namespace Draas.Workflows.Runs.Steps;

/// <summary>One of the plan's checks of a recovered server, with the defaults of <see cref="HealthCheck"/>.</summary>
public sealed record HealthCheckInput(
    string ServerId,
    string? Name = null,
    string Type = HealthCheck.Tcp,
    int Port = HealthCheck.DefaultPort,
    string Path = HealthCheck.DefaultPath,
    int ExpectStatus = HealthCheck.DefaultExpectStatus,
    int Retries = 5);

public sealed record HealthCheckOutput(string Address, string Type, int Port, int Attempts, bool Healthy, string? Error = null);

/// <summary>The data canary's server and endpoint (canary_write at the primary, canary_check on the recovered server).</summary>
public sealed record CanaryInput(string ServerId, string? Name = null, int Port = 80, string Path = "/canary");

public sealed record CanaryWriteOutput(string ServerId, string Name, string Address, int Port, string Path, string Token, DateTimeOffset WrittenAt, int Attempts);

/// <summary>What the recovered canary held: whether this run's token survived and how far the newest token lies behind it.</summary>
public sealed record CanaryCheckOutput(
    string? ServerId,
    string Name,
    string Address,
    string Token,
    DateTimeOffset WrittenAt,
    bool Found,
    int? Tokens = null,
    string? NewestToken = null,
    DateTimeOffset? NewestAt = null,
    double? BehindSeconds = null,
    string? Error = null);
