using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Draas.OpenStack.Core;

/// <summary>
/// The one retry policy of every OpenStack service: decides whether a failed attempt is transient
/// and how long to wait before the next, with capped exponential backoff and jitter. Waits go
/// through the <see cref="TimeProvider"/> so tests run without real sleeps.
/// </summary>
public sealed class RetryPolicy(RetryPolicyOptions options, TimeProvider time, ILogger? logger = null, Func<double>? jitter = null)
{
    readonly ILogger _logger = logger ?? NullLogger.Instance;
    readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    public RetryPolicyOptions Options => options;
    public TimeProvider Time => time;

    /// <summary>Runs <paramref name="attempt"/> until it returns, or throws a failure that is not transient or is the last allowed.</summary>
    public async Task<T> ExecuteAsync<T>(Func<int, Task<T>> attempt, CancellationToken ct)
    {
        for (var number = 1; ; number++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await attempt(number).ConfigureAwait(false);
            }
            catch (TransientFailure failure) when (number < options.MaxAttempts)
            {
                var delay = DelayFor(number, failure.RetryAfter);
                if (delay is null) throw failure.Error;
                _logger.LogWarning("{Service} {Method} {Url}: {Reason}; attempt {Attempt} of {MaxAttempts}, next in {DelayMs} ms",
                    failure.Error.Service, failure.Error.Method, failure.Error.Url, failure.Reason, number, options.MaxAttempts,
                    (long)delay.Value.TotalMilliseconds);
                await Task.Delay(delay.Value, time, ct).ConfigureAwait(false);
            }
            catch (TransientFailure failure)
            {
                throw failure.Error;
            }
        }
    }

    /// <summary>Equal jitter (half fixed, half random) so a fleet of workers does not retry in step; null when Retry-After is beyond the bound.</summary>
    internal TimeSpan? DelayFor(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
            return asked > options.MaxRetryAfter ? null : asked;
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * _jitter());
    }

    /// <summary>
    /// Classifies an HTTP answer. 503 means the request was not processed, so it is retried for
    /// every method; 502/504 come from a proxy that may have passed a POST on, so only idempotent
    /// methods retry them. 409 is retried only on calls whose API documents it as "busy, try again"
    /// and only when the message says so (in use, a task_state in progress): a 409 for a duplicate
    /// name or a server already stopped will not change by waiting.
    /// </summary>
    internal static string? TransientReason(HttpStatusCode status, string method, bool conflictIsTransient, TimeSpan? retryAfter,
        string? message = null) =>
        (int)status switch
        {
            503 => "service unavailable",
            502 or 504 when IsIdempotent(method) => $"gateway error {(int)status}",
            409 when conflictIsTransient && LooksBusy(message) => "resource busy (409)",
            429 => "rate limited (429)",
            413 when retryAfter is not null => "over limit (413) with Retry-After",
            _ => null,
        };

    /// <summary>
    /// Classifies a failure to get any answer. A refused connection never reached the service, so
    /// any method may retry; a reset or timeout may have been processed, so only idempotent ones do.
    /// </summary>
    internal static string? TransientReason(Exception error, string method)
    {
        var socket = FindSocketError(error);
        if (socket == SocketError.ConnectionRefused) return "connection refused";
        if (!IsIdempotent(method)) return null;
        if (socket is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.TimedOut) return $"connection {socket}";
        if (error is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.ConnectionError }) return "connection lost";
        return error is TimeoutException or TaskCanceledException ? "timed out" : null;
    }

    internal static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        if (RetryConditionHeaderValue.TryParse(value, out var parsed) && parsed.Date is { } at)
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }

    static readonly string[] BusyMarkers = ["in use", "in-use", "task_state", "busy", "is being", "in progress"];

    static bool LooksBusy(string? message) =>
        message is not null && BusyMarkers.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    static bool IsIdempotent(string method) => method is "GET" or "HEAD" or "PUT" or "DELETE" or "OPTIONS";

    static SocketError? FindSocketError(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            if (error is SocketException socket) return socket.SocketErrorCode;
        return null;
    }
}

/// <summary>Thrown by an attempt to tell the policy "this may succeed later"; never escapes the policy.</summary>
internal sealed class TransientFailure(OpenStackException error, string reason, TimeSpan? retryAfter) : Exception(reason)
{
    public OpenStackException Error { get; } = error;
    public string Reason { get; } = reason;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
