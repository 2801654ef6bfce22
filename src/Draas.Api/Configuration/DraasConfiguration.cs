using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>
/// Reads the oslo.config-style INI file, then DRAAS__SECTION__KEY environment variables, then explicit
/// overrides, and checks every section so a bad configuration fails at start-up, naming the key.
/// </summary>
public static class DraasConfiguration
{
    public const string DefaultFile = "/etc/draas/draas.conf";

    public static void AddDraasSources(this IConfigurationBuilder builder, string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var file = configFile ?? Environment.GetEnvironmentVariable("DRAAS_CONFIG_FILE");
        if (file is not null && !File.Exists(file)) throw new ConfigurationException($"configuration file {file} does not exist");
        file ??= File.Exists(DefaultFile) ? DefaultFile : null;
        if (file is not null) builder.AddIniFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        builder.AddEnvironmentVariables("DRAAS__");
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
    }

    public static T Bind<T>(this IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"[{section}] {e.Message}");
        }
        return options;
    }

    public static void ThrowIfInvalid(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0) throw new ConfigurationException(string.Join("; ", list));
    }
}

public sealed class ConfigurationException(string message) : Exception(message);
