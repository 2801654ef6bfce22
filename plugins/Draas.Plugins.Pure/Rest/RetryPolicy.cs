using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RestSharp;

namespace Draas.Plugins.Pure.Rest;

/// <summary>The one retry policy of the FlashArray boundary. Retried: no answer (refused, reset,
/// timeout), HTTP above 500, and 429 after the wait the array asks for. Never retried: 4xx and 500,
/// because Pure's own SDK treats those as answers.</summary>
internal sealed class RetryPolicy(FlashArrayClientOptions options, TimeProvider time, ILogger log)
{
    public async Task<RestResponse> ExecuteAsync(Func<CancellationToken, Task<RestResponse>> send, string what,
        CancellationToken cancellationToken)
    {
        var attempt = 1;
        while (true)
        {
            var response = await send(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsTransient(response) || attempt >= options.MaxAttempts) return response;

            var wait = WaitBefore(response, attempt);
            log.LogWarning("FlashArray {Array}: {Call} failed transiently ({Status}); attempt {Attempt} of {Max}, retrying in {Wait}",
                options.ArrayName, what, response.StatusCode == 0 ? response.ResponseStatus.ToString() : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                attempt, options.MaxAttempts, wait);
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            attempt++;
        }
    }

    public static bool IsTransient(RestResponse response) =>
        response.StatusCode == 0
            ? response.ResponseStatus is ResponseStatus.Error or ResponseStatus.TimedOut && !IsCertificateFailure(response.ErrorException)
            : (int)response.StatusCode > 500 || response.StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>A certificate we do not trust will not become trusted by asking again.</summary>
    private static bool IsCertificateFailure(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException) return true;
        }
        return false;
    }

    private TimeSpan WaitBefore(RestResponse response, int attempt)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = ErrorMapping.Header(response, "Retry-After");
            return int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 60))
                : TimeSpan.FromSeconds(1);
        }
        var backoff = options.FirstBackoff * Math.Pow(2, attempt - 1);
        return backoff > options.MaxBackoff ? options.MaxBackoff : backoff;
    }
}
