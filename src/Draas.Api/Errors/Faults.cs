using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Errors;

/// <summary>Writes errors the way OpenStack services do: <c>{"badRequest": {"code": 400, "message": "…"}}</c>.</summary>
public static class Faults
{
    public static string NameFor(int status) => status switch
    {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        406 => "notAcceptable",
        409 => "conflict",
        411 => "lengthRequired",
        413 => "overLimit",
        415 => "badMediaType",
        429 => "overLimit",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ when status >= 500 => "serviceFault",
        _ => "badRequest",
    };

    public static JsonObject Body(int status, string message) => new()
    {
        [NameFor(status)] = new JsonObject { ["code"] = status, ["message"] = message },
    };

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Body(status, message).ToJsonString(JsonOptions), context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}
