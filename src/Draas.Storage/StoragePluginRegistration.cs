using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Storage;

/// <summary>A plugin the host offers: its name and how to build it from its own options section
/// (<c>[storage:NAME]</c>). A plugin adds one through its own extension method (<c>AddPureStoragePlugin</c>).</summary>
public sealed record StoragePluginRegistration(string Name, Func<IServiceProvider, IConfigurationSection, IStoragePlugin> Create);

/// <summary><c>[storage]</c>: which of the offered plugins this deployment uses (comma-separated; unset: all).</summary>
public sealed class StorageSection
{
    [ConfigurationKeyName("plugins")] public string? Plugins { get; set; }
}

/// <summary>A <c>[storage]</c> configuration the offered plugins cannot satisfy; the message names the key.</summary>
public sealed class StorageConfigurationException(string message) : Exception(message);

public static class StoragePluginServices
{
    /// <summary>The configuration section: <c>[storage] plugins = pure, rbd</c>, then <c>[storage:pure]</c>, <c>[storage:rbd]</c>.</summary>
    public const string Section = "storage";

    /// <summary>Offers a plugin to the catalog; configuration decides whether it is used.</summary>
    public static IServiceCollection AddStoragePlugin(this IServiceCollection services, string name,
        Func<IServiceProvider, IConfigurationSection, IStoragePlugin> create) =>
        services.AddSingleton(new StoragePluginRegistration(name, create));

    /// <summary>The catalog of the plugins <c>[storage] plugins</c> names (every offered one when unset), each
    /// built once with its <c>[storage:NAME]</c> section.</summary>
    public static IServiceCollection AddStoragePluginCatalog(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(sp => Compose(sp.GetServices<StoragePluginRegistration>().ToList(), configuration, sp));

    public static StoragePluginCatalog Compose(IReadOnlyList<StoragePluginRegistration> offered, IConfiguration configuration, IServiceProvider services)
    {
        var named = Names(configuration.GetSection(Section).Get<StorageSection>()?.Plugins);
        var byName = new Dictionary<string, StoragePluginRegistration>(StringComparer.OrdinalIgnoreCase);
        foreach (var registration in offered)
        {
            if (!byName.TryAdd(registration.Name, registration))
                throw new StorageConfigurationException($"two storage plugins are named '{registration.Name}'");
        }
        var chosen = named ?? [.. byName.Keys];
        var unknown = chosen.Where(n => !byName.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new StorageConfigurationException(
                $"[storage] plugins names {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which this build does not include (built in: {string.Join(", ", byName.Keys.Order())})");
        if (chosen.Count == 0) throw new StorageConfigurationException("[storage] plugins names no plugin: no array could be registered");
        return new StoragePluginCatalog(chosen.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(n => byName[n].Create(services, configuration.GetSection($"{Section}:{n}"))));
    }

    private static List<string>? Names(string? value) =>
        value is null ? null : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Binds a plugin's options section, naming the section in any error (a bad value fails start-up).</summary>
    public static T BindOptions<T>(this IConfigurationSection section) where T : class, new()
    {
        var options = new T();
        // The binder's own ErrorOnUnknownConfiguration compares keys with property names and ignores
        // [ConfigurationKeyName] (so poll_interval is "unknown" to PollInterval): check the keys ourselves.
        var known = typeof(T).GetProperties()
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = section.GetChildren().Select(c => c.Key).Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new StorageConfigurationException($"[{section.Path}] unknown option(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))} (known: {string.Join(", ", known.Order())})");
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new StorageConfigurationException($"[{section.Path}] {e.Message}");
        }
        return options;
    }
}
