namespace Draas.Simulators;

/// <summary>Entry point of `draas-sim`: each simulator family registers itself here.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        if (args is ["openstack", .. var rest]) return OpenStack.OpenStackSimCommand.RunAsync(rest);
        Console.Error.WriteLine("draas-sim: no simulators registered yet");
        return Task.FromResult(2);
    }
}
