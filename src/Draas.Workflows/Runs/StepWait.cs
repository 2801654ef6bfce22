using System.Text.Json;

namespace Draas.Workflows.Runs;

/// <summary>
/// What a parked step waits for, as written on its row (<c>steps.waiting_for</c>): a Cinder volume or a
/// Nova server at a site and project reaching a status, or only a time (a health check's next try). The
/// step acted already (managed, booted); the <see cref="WaitPoller"/> lists each site's, project's and
/// kind's resources once per interval and wakes the steps whose resource is ready, failed, gone or late.
/// </summary>
public sealed record StepWait
{
    public const string Volume = "volume";
    public const string Server = "server";
    public const string Timer = "timer";

    public required string Kind { get; init; }
    public Guid SiteId { get; init; }
    public string? ProjectId { get; init; }
    public string? Resource { get; init; }
    public string? Status { get; init; }

    /// <summary>For a resource: when the wait gives up; for a timer: when it ends.</summary>
    public DateTimeOffset Until { get; init; }

    /// <summary>The step's own count across wakes (a health check's tries so far).</summary>
    public int Count { get; init; }

    /// <summary>Set by the poller: the step has been handed back to a worker.</summary>
    public bool Woken { get; init; }

    /// <summary>The status the poller saw when it woke the step (null: gone, or a timer).</summary>
    public string? Seen { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, RunJson.Options);

    public static StepWait? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<StepWait>(json, RunJson.Options);
}

/// <summary>Thrown by a handler that acted and now waits: the attempt ends holding no worker and resumes when woken.</summary>
public sealed class StepParkedException(StepWait wait) : Exception($"waiting for {wait.Kind} {wait.Resource} to become {wait.Status}")
{
    public StepWait Wait { get; } = wait;
}
