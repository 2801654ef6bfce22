using System.Text.Json;
using Draas.Api.Policy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Draas.Api.WebConsole;

/// <summary>
/// Who is logged in to the console: their Keystone token and what Keystone said about it at login.
/// Kept in one cookie, encrypted with the service's Data Protection keys (a stolen database dump or log
/// line never holds a usable token), HttpOnly so page scripts cannot read it, SameSite=Strict so no other
/// site can make the browser send it, Secure when the console is served over TLS, and scoped to /console.
/// </summary>
public sealed record ConsoleSession(string Token, DateTimeOffset ExpiresAt, string UserId, string? UserName, string? ProjectId, string? ProjectName, string? DomainId, string[] Roles)
{
    public const string CookieName = "draas_console";
    private const string Purpose = "Draas.Console.Session.v1";

    public Credentials Credentials => new(UserId, UserName, ProjectId, DomainId, Roles);

    public bool IsAdmin => Roles.Contains("admin");

    public static ConsoleSession? Read(HttpContext context, IDataProtectionProvider protection, TimeProvider clock)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var raw) || string.IsNullOrEmpty(raw)) return null;
        try
        {
            var json = protection.CreateProtector(Purpose).Unprotect(raw);
            var session = JsonSerializer.Deserialize<ConsoleSession>(json);
            return session is not null && session.ExpiresAt > clock.GetUtcNow() ? session : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null; // a cookie from another key ring or tampered with: log in again
        }
    }

    public void Write(HttpContext context, IDataProtectionProvider protection)
    {
        var value = protection.CreateProtector(Purpose).Protect(JsonSerializer.Serialize(this));
        context.Response.Cookies.Append(CookieName, value, Options(context, ExpiresAt));
    }

    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/console",
        Expires = expires,
        IsEssential = true,
    };
}
