using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Draas.Api.Errors;

/// <summary>
/// Turns every failure into an OpenStack fault. Bad input is the caller's 4xx; anything unexpected is a
/// 500 that names the request id (the log has the detail), never a stack trace.
/// </summary>
public sealed class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null && string.IsNullOrEmpty(context.Response.ContentType))
            {
                // Routing's own 404/405 answers carry no body: give them the fault shape too.
                var status = context.Response.StatusCode;
                await Faults.WriteAsync(context, status, status switch
                {
                    404 => "The resource could not be found.",
                    405 => $"Method {context.Request.Method} is not allowed on {context.Request.Path}.",
                    _ => "The request could not be handled.",
                });
            }
        }
        catch (ApiException e)
        {
            await Faults.WriteAsync(context, e.Status, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            await Faults.WriteAsync(context, e.StatusCode, e.StatusCode == 413 ? "Request body too large." : "Malformed request.");
        }
        catch (DbUpdateConcurrencyException)
        {
            await Faults.WriteAsync(context, 409, "The resource was changed by another request; read it again and retry.");
        }
        catch (Exception e) when (IsReadOnlyDatabase(e))
        {
            // A change that raced the database becoming a standby (the write gate checks every few seconds).
            logger.LogWarning("{Method} {Path} refused: the database is read-only", context.Request.Method, context.Request.Path);
            await Faults.WriteAsync(context, 503, Hosting.DatabaseRole.StandbyMessage);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            await Faults.WriteAsync(context, 500, $"An unexpected error occurred; the service log has the details under request id {context.Response.Headers[Http.RequestIdMiddleware.Header]}.");
        }
    }

    /// <summary>PostgreSQL's read_only_sql_transaction (25006): a write against a hot standby.</summary>
    private static bool IsReadOnlyDatabase(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction }
        || (e.InnerException is not null && IsReadOnlyDatabase(e.InnerException));
}
