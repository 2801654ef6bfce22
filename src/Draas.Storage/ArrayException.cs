using System.Net;

namespace Draas.Storage;

/// <summary>What went wrong, in words a workflow can branch on.</summary>
public enum ArrayErrorKind
{
    Unknown,
    NotFound,
    AlreadyExists,
    InUse,
    Destroyed,
    /// <summary>The array (or its space) cannot hold what was asked: "limit reached", capacity check.</summary>
    InsufficientCapacity,
    /// <summary>Connection refused/reset, TLS failure, or transient errors that outlasted the retries.</summary>
    Unreachable,
    Unauthorized,
    /// <summary>The two arrays have no (working) array connection of the needed type.</summary>
    NotConnected,
    /// <summary>The request is not valid for the object's current state (e.g. baselining, wrong name).</summary>
    InvalidRequest,
    Timeout,
}

/// <summary>The one error type of the storage boundary: every plugin failure surfaces as this, with the
/// array's own message and the request id to find the call in the array's audit log.</summary>
public sealed class ArrayException : Exception
{
    public ArrayException(ArrayErrorKind kind, string message, string? array = null,
        HttpStatusCode? status = null, string? requestId = null, string? context = null, Exception? inner = null)
        : base(Describe(kind, message, array, status, requestId, context), inner)
    {
        Kind = kind;
        ArrayMessage = message;
        Array = array;
        Status = status;
        RequestId = requestId;
        Context = context;
    }

    public ArrayErrorKind Kind { get; }
    /// <summary>The array's message as it sent it (or ours when no array answered).</summary>
    public string ArrayMessage { get; }
    public string? Array { get; }
    public HttpStatusCode? Status { get; }
    public string? RequestId { get; }
    /// <summary>The object the array names in its error (its <c>context</c>).</summary>
    public string? Context { get; }

    private static string Describe(ArrayErrorKind kind, string message, string? array, HttpStatusCode? status,
        string? requestId, string? context)
    {
        var where = array is null ? "" : $" on array {array}";
        var what = context is null ? "" : $" ({context})";
        var http = status is null ? "" : $" [HTTP {(int)status}]";
        var rid = requestId is null ? "" : $" request {requestId}";
        return $"{kind}{where}{what}: {message}{http}{rid}";
    }
}
