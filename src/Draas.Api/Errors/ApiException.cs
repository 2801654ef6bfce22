namespace Draas.Api.Errors;

/// <summary>The one error type of the API boundary: rendered as an OpenStack fault with its status.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(400, message);

    public static ApiException Forbidden(string action) => new(403, $"Policy doesn't allow {action} to be performed.");

    public static ApiException NotFound(string what, string id) => new(404, $"{what} {id} could not be found.");

    public static ApiException Conflict(string message) => new(409, message);

    public static ApiException ServiceUnavailable(string message) => new(503, message);
}
