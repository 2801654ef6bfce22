namespace Draas.Simulators;

/// <summary>Entry point of `draas-sim`: each simulator family registers itself here.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => args switch
    {
        ["openstack", .. var rest] => OpenStack.OpenStackSimCommand.RunAsync(rest),
        ["flasharray", .. var rest] => FlashArray.FlashArraySimulator.RunAsync(rest),
        ["lab", .. var rest] => Lab.LabCommand.RunAsync(rest),
        ["check-run", .. var rest] => Checks.RunCheck.RunAsync(rest),
        _ => Usage(),
    };

    private static Task<int> Usage()
    {
        Console.Error.WriteLine("usage: draas-sim openstack [--port N] [--sites site-a,site-b] [--config-dir DIR]\n       draas-sim flasharray [--port N] [--acceleration X] [--tls]\n       draas-sim lab [--port N] [--array-port N] [--acceleration X] [--config-dir DIR]\n       draas-sim check-run --report FILE [--flasharray-admin URL --writes-from ARRAY --writes-to ARRAY]");
        return Task.FromResult(2);
    }
}
