using Draas.Plugins.Ceph;
using Draas.Plugins.Pure;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Host;

/// <summary>The storage plugins built into this executable, each offered through its own extension method.</summary>
public static class BuiltInPlugins
{
    public static void Add(IServiceCollection services)
    {
        services.AddPureStoragePlugin();
        services.AddCephStoragePlugin();
    }
}

public static class Program
{
    public static Task<int> Main(string[] args) => Draas.Api.Program.RunAsync(args, BuiltInPlugins.Add);
}
