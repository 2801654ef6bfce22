using System.Text.Json.Nodes;
using Draas.Api.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Api.WebConsole;

/// <summary>
/// A console page for a logged-in person: without a valid session it sends them to the login page; with
/// one, it reads through the API with their token. An API refusal is shown as the page (its status and the
/// API's own message), never worked around.
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    public ConsoleSession Session { get; private set; } = null!;

    /// <summary>The API's refusal this page shows instead of its content.</summary>
    public ApiAnswer? Failure { get; private set; }

    public DateTimeOffset Now { get; private set; }

    protected ConsoleApi Api => HttpContext.RequestServices.GetRequiredService<ConsoleApi>();

    private PolicyEnforcer Policy => HttpContext.RequestServices.GetRequiredService<PolicyEnforcer>();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var services = HttpContext.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        Now = clock.GetUtcNow();
        var session = ConsoleSession.Read(HttpContext, services.GetRequiredService<IDataProtectionProvider>(), clock);
        if (session is null)
        {
            context.Result = ToLogin();
            return;
        }
        Session = session;
        await next();
    }

    /// <summary>
    /// Whether to offer an action's button: the policy rules the API enforces, asked with what Keystone said
    /// about the person at login. Only a courtesy: the API decides again when the action arrives.
    /// </summary>
    public bool Offers(string action, string? projectId) =>
        Policy.Allows(action, Session.Credentials, projectId is null ? null : new Dictionary<string, string?> { ["project_id"] = projectId });

    protected Task<ApiAnswer> GetAsync(string path, string? accept = null) => Api.GetAsync(Session.Token, path, HttpContext.RequestAborted, accept);

    protected Task<ApiAnswer> PostAsync(string path, JsonNode body) => Api.PostAsync(Session.Token, path, body, HttpContext.RequestAborted);

    /// <summary>Shows the API's refusal as this page, with its status; an expired or revoked token goes back to the login page.</summary>
    protected IActionResult Refused(ApiAnswer answer)
    {
        if (answer.Status == 401)
        {
            ConsoleSession.Clear(HttpContext);
            return ToLogin();
        }
        Failure = answer;
        ViewData["Title"] = answer.Status switch { 404 => "Not found", 403 => "Not allowed", _ => "Refused" };
        Response.StatusCode = answer.Status;
        return Page();
    }

    private RedirectResult ToLogin() =>
        Redirect(ConsoleSetup.Path + "/login?next=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
}
