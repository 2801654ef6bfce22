namespace Draas.Storage;

/// <summary>Finds a plugin by the name an array's configuration gives (<c>plugin = pure</c>).</summary>
public sealed class StoragePluginCatalog
{
    private readonly Dictionary<string, IStoragePlugin> _plugins;

    public StoragePluginCatalog(IEnumerable<IStoragePlugin> plugins)
    {
        _plugins = new Dictionary<string, IStoragePlugin>(StringComparer.OrdinalIgnoreCase);
        foreach (var plugin in plugins)
        {
            if (!_plugins.TryAdd(plugin.Name, plugin))
                throw new InvalidOperationException($"two storage plugins are named '{plugin.Name}'");
        }
    }

    public IReadOnlyCollection<string> Names => _plugins.Keys;

    public IStoragePlugin Get(string name) =>
        _plugins.TryGetValue(name, out var plugin)
            ? plugin
            : throw new KeyNotFoundException(
                $"no storage plugin named '{name}' (known: {string.Join(", ", _plugins.Keys.Order())})");

    public bool TryGet(string name, out IStoragePlugin plugin) => _plugins.TryGetValue(name, out plugin!);
}
