using Draas.Api.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Api.WebConsole;

/// <summary>
/// The web console under <c>/console</c>: Razor Pages in this assembly, served by the API process itself.
/// Every page reads and acts through the REST API with the logged-in person's Keystone token (<see cref="ConsoleApi"/>).
/// </summary>
public static class ConsoleSetup
{
    public const string Path = "/console";

    public static void AddDraasConsole(this IServiceCollection services, KeystoneAuthTokenOptions keystone)
    {
        var assembly = typeof(ConsoleSetup).Assembly;
        services.AddRazorPages(o => o.RootDirectory = "/WebConsole/Pages")
            .ConfigureApplicationPartManager(parts =>
            {
                // The executable (src/Draas.Host) may already list this assembly; tests run from the test host, which does not.
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    if (!parts.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name)) parts.ApplicationParts.Add(part);
            });
        // Razor Pages check the antiforgery token on every POST; its cookie is as strict as the session's.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "draas_console_csrf";
            o.Cookie.Path = Path;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddSingleton(sp => new KeystoneLogin(keystone, new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Max(5, keystone.HttpConnectTimeout * 3)) }));
        services.AddSingleton(sp => new ConsoleApi(
            new HttpClient { Timeout = TimeSpan.FromSeconds(60) },
            sp.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(),
            sp.GetRequiredService<ApiOptions>()));
    }

    public static void MapDraasConsole(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet(Path + "/assets/{name}", (string name) => ConsoleAssets.Serve(name)).ExcludeFromDescription(); // the UI, not the API
    }

    /// <summary>Pages the console serves without the API's X-Auth-Token (it brings its own cookie).</summary>
    public static bool Serves(HttpContext context) => context.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal);
}

/// <summary>The console's stylesheet and script, embedded in the assembly: nothing is fetched from elsewhere.</summary>
public static class ConsoleAssets
{
    private static readonly Dictionary<string, string> Types = new()
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
    };

    public static IResult Serve(string name)
    {
        if (!Types.TryGetValue(name, out var type)) return Results.NotFound();
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("Draas.Api.WebConsole.Assets." + name);
        if (stream is null) return Results.NotFound();
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), type);
    }
}
