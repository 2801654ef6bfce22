namespace Draas.Simulators;

/// <summary>Entry point of `draas-sim`: each simulator family registers itself here.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Not disposed: the ProcessExit handler may run after Main returns.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        return args.FirstOrDefault() switch
        {
            "openstack" => await OpenStack.OpenStackSimCommand.RunAsync(args[1..], stop.Token),
            "flasharray" => await FlashArray.FlashArraySimulator.RunAsync(args[1..]),
            "lab" => await Lab.LabCommand.RunAsync(args[1..]),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: draas-sim openstack [--port N] [--sites site-a,site-b] [--config-dir DIR]\n       draas-sim flasharray [options]\n       draas-sim lab [--port N] [--array-port N] [--acceleration X] [--config-dir DIR]");
        return 2;
    }
}
