using Draas.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Ceph;

public static class CephRegistration
{
    /// <summary>Offers the <c>rbd</c> plugin; <c>[storage] plugins</c> decides whether it is used.</summary>
    public static IServiceCollection AddCephStoragePlugin(this IServiceCollection services) =>
        services.AddStoragePlugin(CephPlugin.PluginName, (sp, section) => new CephPlugin(
            section.BindOptions<CephSection>().ToOptions(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()));
}
