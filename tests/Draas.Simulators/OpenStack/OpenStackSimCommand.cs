namespace Draas.Simulators.OpenStack;

/// <summary><c>draas-sim openstack [--port N] [--sites a,b] [--config-dir DIR]</c>: runs the OpenStack
/// simulator in the foreground until Ctrl-C, after writing clouds.yaml and endpoints.json.</summary>
public static class OpenStackSimCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Not disposed: the ProcessExit handler may run after this method returns.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        var cancellationToken = stop.Token;
        var port = 0;
        var sites = new List<string> { "site-a", "site-b" };
        string? configDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, out port): i++; break;
                case "--sites" when value is not null: sites = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries)]; i++; break;
                case "--config-dir" when value is not null: configDir = value; i++; break;
                default:
                    await Console.Error.WriteLineAsync($"draas-sim openstack: unknown or incomplete option '{args[i]}'");
                    await Console.Error.WriteLineAsync("usage: draas-sim openstack [--port N] [--sites site-a,site-b] [--config-dir DIR]");
                    return 2;
            }
        }
        await using var sim = await OpenStackSimulator.StartAsync(new OpenStackSimulatorOptions { Port = port, Sites = sites }, cancellationToken);
        if (configDir is not null) await SimConfigFiles.WriteAsync(sim, configDir, cancellationToken);
        Console.WriteLine($"openstack simulator on {sim.BaseUrl} (sites: {string.Join(", ", sites)}; admin API {sim.AdminUrl})");
        if (configDir is not null)
            Console.WriteLine($"  export OS_CLIENT_CONFIG_FILE={Path.GetFullPath(Path.Combine(configDir, "clouds.yaml"))}; openstack --os-cloud {sites[0]} server list");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sim.Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
