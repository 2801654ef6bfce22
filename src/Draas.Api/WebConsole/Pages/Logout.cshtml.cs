using Draas.Api.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;

namespace Draas.Api.WebConsole.Pages;

/// <summary>Logging out revokes the token at Keystone and drops it from the API's validation cache, then clears the cookie.</summary>
public sealed class LogoutModel(KeystoneLogin keystone, IDataProtectionProvider protection, TimeProvider clock, IMemoryCache cache) : PageModel
{
    public bool Revoked { get; private set; }

    public IActionResult OnGet() => Redirect(ConsoleSetup.Path);

    public async Task<IActionResult> OnPostAsync()
    {
        var session = ConsoleSession.Read(HttpContext, protection, clock);
        ConsoleSession.Clear(HttpContext);
        if (session is null) return Redirect(ConsoleSetup.Path + "/login");
        Revoked = await keystone.RevokeAsync(session.Token, HttpContext.RequestAborted);
        // Otherwise the API would go on accepting the revoked token until its cache entry expires.
        cache.Remove(KeystoneAuthMiddleware.CacheKey(session.Token));
        return Page();
    }
}
