using Draas.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Pure;

/// <summary><c>[storage:pure]</c>: the plugin's tunables, in seconds as the rest of draas.conf.</summary>
public sealed class PureSection
{
    [ConfigurationKeyName("poll_interval")] public double PollInterval { get; set; } = 2;
    [ConfigurationKeyName("promotion_timeout")] public double PromotionTimeout { get; set; } = 300;
    [ConfigurationKeyName("request_timeout")] public double RequestTimeout { get; set; } = 30;
    [ConfigurationKeyName("max_attempts")] public int MaxAttempts { get; set; } = 4;
    [ConfigurationKeyName("first_backoff")] public double FirstBackoff { get; set; } = 0.5;
    [ConfigurationKeyName("degraded_after_intervals")] public double DegradedAfterIntervals { get; set; } = 2;

    public PurePluginOptions ToOptions()
    {
        var problems = new List<string>();
        if (PollInterval <= 0) problems.Add("poll_interval must be above 0");
        if (PromotionTimeout <= 0) problems.Add("promotion_timeout must be above 0");
        if (RequestTimeout <= 0) problems.Add("request_timeout must be above 0");
        if (MaxAttempts < 1) problems.Add("max_attempts must be at least 1");
        if (FirstBackoff < 0) problems.Add("first_backoff must not be negative");
        if (DegradedAfterIntervals < 1) problems.Add("degraded_after_intervals must be at least 1");
        if (problems.Count > 0) throw new StorageConfigurationException($"[storage:pure] {string.Join("; ", problems)}");
        return new PurePluginOptions
        {
            PollInterval = TimeSpan.FromSeconds(PollInterval),
            PromotionTimeout = TimeSpan.FromSeconds(PromotionTimeout),
            RequestTimeout = TimeSpan.FromSeconds(RequestTimeout),
            MaxAttempts = MaxAttempts,
            FirstBackoff = TimeSpan.FromSeconds(FirstBackoff),
            DegradedAfterIntervals = DegradedAfterIntervals,
        };
    }
}

public static class PureRegistration
{
    /// <summary>Offers the <c>pure</c> plugin; <c>[storage] plugins</c> decides whether it is used.</summary>
    public static IServiceCollection AddPureStoragePlugin(this IServiceCollection services) =>
        services.AddStoragePlugin("pure", (sp, section) => new PurePlugin(
            section.BindOptions<PureSection>().ToOptions(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()));
}
