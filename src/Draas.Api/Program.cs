using Draas.Api.Configuration;
using Draas.Api.Hosting;
using Draas.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Draas.Api;

/// <summary>
/// <c>draas [serve] [--role api|worker|all] [--config-file FILE]</c> runs the service;
/// <c>draas db upgrade [--config-file FILE]</c> applies the database migrations and exits;
/// <c>draas probe-agent [--listen HOST:PORT] [--secret-file FILE] [--source IP]</c> runs a site's probe agent.
/// </summary>
public static class Program
{
    /// <summary>Without storage plugins: enough for <c>db upgrade</c>; serving needs the host project's (src/Draas.Host).</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, _ => { });

    /// <param name="storagePlugins">Offers the plugins the executable was built with (each plugin's own <c>Add…StoragePlugin</c>).</param>
    public static async Task<int> RunAsync(string[] args, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> storagePlugins)
    {
        if (args.Length > 0 && args[0] == "probe-agent") return await Probe.ProbeAgent.RunAsync(args[1..]);
        var command = new List<string>();
        var hostArgs = new List<string>();
        string? configFile = null, role = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config-file" when i + 1 < args.Length: configFile = args[++i]; break;
                case "--role" when i + 1 < args.Length: role = args[++i]; break;
                case "-h" or "--help":
                    Console.WriteLine("usage: draas [serve] [--role api|worker|all] [--config-file FILE]\n       draas db upgrade [--config-file FILE]\n       draas probe-agent [--listen HOST:PORT] [--secret-file FILE] [--source IP]");
                    return 0;
                default:
                    if (args[i].StartsWith('-') || command.Count >= 2) hostArgs.Add(args[i]); else command.Add(args[i]);
                    break;
            }
        }
        try
        {
            return string.Join(' ', command) switch
            {
                "" or "serve" => await ServeAsync(hostArgs.ToArray(), configFile, role, storagePlugins),
                "db upgrade" => await UpgradeAsync(configFile),
                var other => Fail($"unknown command '{other}' (draas --help)"),
            };
        }
        catch (ConfigurationException e)
        {
            return Fail($"configuration error: {e.Message}");
        }
    }

    private static async Task<int> ServeAsync(string[] hostArgs, string? configFile, string? role, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> storagePlugins)
    {
        await using var app = ServiceHost.Build(hostArgs, configFile, role, storagePlugins: storagePlugins);
        await ServiceHost.StartAsync(app, CancellationToken.None);
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task<int> UpgradeAsync(string? configFile)
    {
        var configuration = new ConfigurationBuilder();
        configuration.AddDraasSources(configFile);
        var database = configuration.Build().Bind<DatabaseOptions>(DatabaseOptions.Section);
        DraasConfiguration.ThrowIfInvalid(database.Validate());
        var options = new DbContextOptionsBuilder<DraasDbContext>();
        options.UseDraasPostgres(database.Connection);
        await using var db = new DraasDbContext(options.Options);
        var applied = await DatabaseSetup.UpgradeAsync(db, CancellationToken.None);
        Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied: {string.Join(", ", applied)}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"draas: {message}");
        return 2;
    }
}
