using System.Net;

namespace Draas.OpenStack;

/// <summary>
/// The one error type of the OpenStack boundary: a call that failed for good (after the retry
/// policy gave up, or at once when the failure is not transient). Carries what an operator needs to
/// find the call in the service's own logs: status, the service's message and its request id.
/// </summary>
public class OpenStackException : Exception
{
    public OpenStackException(string service, string method, string url, HttpStatusCode? status,
        string? serviceMessage, string? requestId, Exception? inner = null)
        : base(Describe(service, method, url, status, serviceMessage, requestId), inner)
    {
        Service = service;
        Method = method;
        Url = url;
        StatusCode = status;
        ServiceMessage = serviceMessage;
        RequestId = requestId;
    }

    protected OpenStackException(string message, string service, Exception? inner = null) : base(message, inner)
    {
        Service = service;
        Method = "";
        Url = "";
    }

    /// <summary>Service type as in the catalog ("compute", "volumev3", "image", "identity", "network").</summary>
    public string Service { get; }
    public string Method { get; }
    public string Url { get; }
    /// <summary>Null when no HTTP answer came back (connection refused, reset, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }
    public string? ServiceMessage { get; }
    /// <summary>The x-openstack-request-id (or x-compute-request-id) of the failing answer.</summary>
    public string? RequestId { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    static string Describe(string service, string method, string url, HttpStatusCode? status, string? message, string? requestId)
    {
        var what = status is { } s ? $"{(int)s} {s}" : "no answer";
        var text = $"{service}: {method} {url} failed: {what}";
        if (!string.IsNullOrEmpty(message)) text += $": {message}";
        if (!string.IsNullOrEmpty(requestId)) text += $" (request id {requestId})";
        return text;
    }
}
