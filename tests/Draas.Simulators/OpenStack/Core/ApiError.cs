namespace Draas.Simulators.OpenStack.Core;

/// <summary>Error bodies in each service's own style. Nova and Cinder wrap the error in a key named after
/// the fault (<c>{"itemNotFound": {"code": 404, "message": ...}}</c>); Keystone uses
/// <c>{"error": {"code", "message", "title"}}</c>; Glance and Neutron have their own shapes.</summary>
public static class ApiError
{
    public static IResult Fault(int code, string message)
    {
        var key = code switch
        {
            400 => "badRequest",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "itemNotFound",
            405 => "badMethod",
            406 => "notAcceptable",
            409 => "conflictingRequest",
            413 => "overLimit",
            503 => "serviceUnavailable",
            _ => "computeFault",
        };
        return SimJson.Json(new Dictionary<string, object> { [key] = new { code, message } }, code);
    }

    public static IResult Keystone(int code, string message)
    {
        var title = code switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            _ => "Internal Server Error",
        };
        return SimJson.Json(new { error = new { code, message, title } }, code);
    }

    /// <summary>Glance's webob error rendered for Accept: application/json, as Zed sends it: "code" is the
    /// status line as a string ("404 Not Found"), the title the reason phrase, the message ends in webob's
    /// HTML line breaks.</summary>
    public static IResult Glance(int code, string message)
    {
        var title = code switch
        {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            413 => "Request Entity Too Large",
            415 => "Unsupported Media Type",
            _ => "Internal Server Error",
        };
        return SimJson.Json(new { message = message + "<br /><br />\n\n\n", code = $"{code} {title}", title }, code);
    }

    public static IResult Neutron(int code, string type, string message) =>
        SimJson.Json(new Dictionary<string, object> { ["NeutronError"] = new { type, message, detail = "" } }, code);
}
