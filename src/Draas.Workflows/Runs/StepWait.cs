using System.Text.Json;

namespace Draas.Workflows.Runs;

/// <summary>
/// What a parked step waits for, as written on its row (<c>steps.waiting_for</c>): a Cinder volume or a
/// Nova server at a site and project reaching a status, or only a time (a health check's next try). The
/// step acted already (managed, booted); the <see cref="WaitPoller"/> lists each site's resources still in
/// their working status once per interval and wakes the steps whose resource left it, is gone or late.
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

    /// <summary>The status the resource shows while the cloud still works towards <see cref="Status"/> (Cinder's
    /// <c>managing</c>, Nova's <c>BUILD</c>): the poller lists only the site's resources in it, for every project
    /// at once, and wakes a step whose resource has left it. Null: the poller lists the project's resources.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? While => (Kind, Status) switch
    {
        (Volume, "available") => "managing",
        (Server, "ACTIVE") => "BUILD",
        _ => null,
    };

    public string ToJson() => JsonSerializer.Serialize(this, RunJson.Options);

    public static StepWait? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<StepWait>(json, RunJson.Options);
}

/// <summary>Thrown by a handler that acted and now waits: the attempt ends holding no worker and resumes when woken.</summary>
public sealed class StepParkedException(StepWait wait) : Exception($"waiting for {wait.Kind} {wait.Resource} to become {wait.Status}")
{
    public StepWait Wait { get; } = wait;
}
