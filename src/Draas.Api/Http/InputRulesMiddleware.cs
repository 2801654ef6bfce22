using Draas.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.Http;

/// <summary>
/// Refuses, for every route at once, a path or query string that holds a NUL or a control character once
/// decoded (<c>?name=%00</c>): no id, filter or marker of ours has one, and a NUL reaching PostgreSQL is a
/// 500. Bodies are checked by <see cref="JsonBody"/> under the same <see cref="InputRules"/>.
/// </summary>
public sealed class InputRulesMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var problem = InputRules.BadQueryOrPath("The path", request.Path.Value ?? "");
        foreach (var (key, values) in request.Query)
        {
            problem ??= InputRules.BadQueryOrPath($"The query parameter name '{Printable(key)}'", key);
            foreach (var value in values) problem ??= InputRules.BadQueryOrPath($"The query parameter {Printable(key)}", value ?? "");
        }
        return problem is null ? next(context) : Faults.WriteAsync(context, 400, problem);
    }

    private static string Printable(string s) => new([.. s.Select(c => char.IsControl(c) ? '?' : c)]);
}
