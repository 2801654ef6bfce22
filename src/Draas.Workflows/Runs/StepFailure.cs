using System.Net;
using Draas.OpenStack;
using Draas.OpenStack.Core;
using Draas.Storage;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Draas.Workflows.Runs;

/// <summary>A step that cannot succeed as things stand: retrying would only repeat the answer.</summary>
public sealed class StepFailedException(string message, object? output = null) : Exception(message)
{
    /// <summary>What the step found, kept with the failure (a cleanup's leftovers).</summary>
    public object? Output { get; } = output;

    /// <summary>The answer came through a transient fault (a check that could not reach a service):
    /// another attempt may see past it.</summary>
    public bool Retryable { get; init; }
}

/// <summary>Which failures are worth another attempt of a step. The clients already retried each call;
/// a step retries the longer outages (an API that stayed down, a wait that timed out).</summary>
public static class StepFailures
{
    public static bool IsTransient(Exception e) => e switch
    {
        StepFailedException f => f.Retryable,
        ResourceFailedException => false,
        WaitTimeoutException => true,
        OpenStackException o => o.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests
            or >= HttpStatusCode.InternalServerError,
        ArrayException a => a.Kind is ArrayErrorKind.Unreachable or ArrayErrorKind.Timeout or ArrayErrorKind.Unknown,
        HttpRequestException or TimeoutException or IOException => true,
        RetryLimitExceededException => true,
        // The service's own database: a pool that ran out of connections under load, a dropped connection, a
        // failover of PostgreSQL, however EF wrapped it (its retrying strategy's InvalidOperationException, a
        // DbUpdateException from a save).
        _ => Database(e) is { IsTransient: true },
    };

    /// <summary>The one sentence a report and the API show for a failure.</summary>
    public static string Describe(Exception e) => e switch
    {
        OpenStackException o when o.ServiceMessage is not null => $"{o.Message}",
        _ when Database(e) is { } n => $"the service's database: {n.Message}",
        _ => e.Message,
    };

    /// <summary>The fault of the service's database somewhere in the exception's chain, if it is one.</summary>
    private static NpgsqlException? Database(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is NpgsqlException n) return n;
        return null;
    }
}
