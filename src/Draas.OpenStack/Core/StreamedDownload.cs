using RestSharp;

namespace Draas.OpenStack.Core;

/// <summary>
/// Sends a GET whose body is handed over as a stream (an image download) while keeping what
/// RestSharp's DownloadStreamAsync drops: the status, the headers and the text of an error answer.
/// </summary>
internal static class StreamedDownload
{
    public static async Task<(RestResponse, Stream?)> SendAsync(RestClient client, RestRequest request, CancellationToken ct)
    {
        var capture = new HeadCapture();
        request.Interceptors = [capture];
        Stream? body;
        try
        {
            body = await client.DownloadStreamAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or IOException || (error is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (new RestResponse(request) { ResponseStatus = ResponseStatus.Error, ErrorException = error, ErrorMessage = error.Message }, null);
        }
        var head = capture.Head;
        if (head is null)
            return (new RestResponse(request) { ResponseStatus = ResponseStatus.Error, ErrorMessage = "no answer" }, body);
        var headers = head.Headers.Concat(head.Content.Headers)
            .SelectMany(h => h.Value.Select(v => new HeaderParameter(h.Key, v))).ToList();
        var response = new RestResponse(request)
        {
            StatusCode = head.StatusCode,
            IsSuccessStatusCode = head.IsSuccessStatusCode,
            ResponseStatus = ResponseStatus.Completed,
            ResponseUri = head.RequestMessage?.RequestUri,
            Headers = headers,
            Content = capture.ErrorBody,
        };
        if (!head.IsSuccessStatusCode && body is not null)
        {
            await body.DisposeAsync().ConfigureAwait(false);
            body = null;
        }
        return (response, body);
    }

    /// <summary>DownloadStreamAsync returns only the body; this keeps the status and headers of the answer.</summary>
    sealed class HeadCapture : RestSharp.Interceptors.Interceptor
    {
        public HttpResponseMessage? Head { get; private set; }

        /// <summary>The body of an error answer, read here because RestSharp hands back no stream for one.</summary>
        public string? ErrorBody { get; private set; }

        public override async ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
        {
            Head = responseMessage;
            if (!responseMessage.IsSuccessStatusCode)
                ErrorBody = await responseMessage.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
