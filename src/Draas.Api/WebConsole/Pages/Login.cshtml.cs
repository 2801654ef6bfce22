using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Draas.Api.WebConsole.Pages;

/// <summary>The login form: Keystone issues the token, the console keeps it in its session cookie.</summary>
public sealed class LoginModel(KeystoneLogin keystone, IDataProtectionProvider protection) : PageModel
{
    public string? Error { get; private set; }
    public string Next { get; private set; } = ConsoleSetup.Path;
    public string? Username { get; private set; }
    public string? Project { get; private set; }
    public string? Domain { get; private set; }

    public void OnGet(string? next) => Next = SafeNext(next);

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? project, string? domain,
        string? applicationCredentialId, string? applicationCredentialSecret, string? next)
    {
        var (session, error) = await keystone.LoginAsync(new LoginRequest(username, password, project, domain, applicationCredentialId, applicationCredentialSecret), HttpContext.RequestAborted);
        if (session is null)
        {
            (Error, Next, Username, Project, Domain) = (error, SafeNext(next), username, project, domain);
            Response.StatusCode = 401;
            return Page();
        }
        session.Write(HttpContext, protection);
        return Redirect(SafeNext(next));
    }

    /// <summary>Only back into the console: a login link cannot send anyone elsewhere.</summary>
    private static string SafeNext(string? next) =>
        next is not null && next.StartsWith(ConsoleSetup.Path, StringComparison.Ordinal) && !next.StartsWith(ConsoleSetup.Path + "/login", StringComparison.Ordinal)
            && !next.Contains("//", StringComparison.Ordinal) && !next.Contains('\\')
            ? next
            : ConsoleSetup.Path;
}
