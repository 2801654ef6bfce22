using System.Globalization;

namespace Draas.Simulators.Lab;

/// <summary><c>draas-sim lab [--port N] [--array-port N] [--acceleration X] [--config-dir DIR] [--churn]</c>: runs the
/// two-site DR lab in the foreground until Ctrl-C, after writing clouds.yaml and endpoints.json.</summary>
public static class LabCommand
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
        var options = new DrLabOptions { Acceleration = 1 };
        string? configDir = null;
        var churn = false;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port): options = options with { OpenStackPort = port }; i++; break;
                case "--array-port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port): options = options with { FlashArrayPort = port }; i++; break;
                case "--acceleration" when double.TryParse(value, CultureInfo.InvariantCulture, out var x) && x >= 0: options = options with { Acceleration = x }; i++; break;
                case "--config-dir" when value is not null: configDir = value; i++; break;
                case "--churn": churn = true; break;
                default:
                    await Console.Error.WriteLineAsync($"draas-sim lab: unknown or incomplete option '{args[i]}'").ConfigureAwait(false);
                    await Console.Error.WriteLineAsync("usage: draas-sim lab [--port N] [--array-port N] [--acceleration X] [--config-dir DIR] [--churn]").ConfigureAwait(false);
                    return 2;
            }
        }
        await using var lab = await DrLab.StartAsync(options, cancellationToken).ConfigureAwait(false);
        if (configDir is not null) await LabConfigFiles.WriteAsync(lab, configDir, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"DR lab: openstack on {lab.OpenStack.BaseUrl} (admin API {lab.OpenStack.AdminUrl}), clock x{options.Acceleration}");
        foreach (var s in lab.Sites)
            Console.WriteLine($"  {s.Name}: Cinder backend {s.CinderBackend} on {s.ArrayName} at {s.ArrayUrl}");
        Console.WriteLine($"  flasharray admin API {lab.FlashArrayAdminUrl}");
        if (configDir is not null)
            Console.WriteLine($"  export OS_CLIENT_CONFIG_FILE={Path.GetFullPath(Path.Combine(configDir, "clouds.yaml"))}; openstack --os-cloud site-a volume list");
        // Other tenants busy at the recovery site, as on a real shared cloud.
        await using var busy = churn ? lab.StartChurn(lab.SiteB) : null;
        if (busy is not null) Console.WriteLine($"  churn: other tenants create and delete volumes and servers at {lab.SiteB.Name}");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lab.OpenStack.Stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
