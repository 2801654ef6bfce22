using Draas.Api.Configuration;
using Draas.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace Draas.Tests.Config;

[TestFixture]
// It sets DRAAS__ environment variables, which every service this process starts meanwhile would read.
[NonParallelizable]
public sealed class ConfigurationTests
{
    private static string RepoFile(string relative) => Draas.Tests.Support.RepoPaths.File(relative);

    private static IConfiguration Load(string file, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        builder.AddDraasSources(file, overrides);
        return builder.Build();
    }

    [Test]
    public void The_shipped_example_configuration_is_valid_and_its_values_are_the_defaults()
    {
        var settings = ServiceHost.ReadSettings(Load(RepoFile("etc/draas/draas.conf")));

        Assert.That(settings.Service.Role, Is.EqualTo(new ServiceOptions().Role));
        Assert.That(settings.Jobs.Workers, Is.EqualTo(new JobsOptions().Workers));
        Assert.That(settings.Jobs.PollIntervalMs, Is.EqualTo(new JobsOptions().PollIntervalMs));
        Assert.That(settings.Api.BindPort, Is.EqualTo(new ApiOptions().BindPort));
        Assert.That(settings.Api.MaxBodyBytes, Is.EqualTo(new ApiOptions().MaxBodyBytes));
        Assert.That(settings.Api.MaxLimit, Is.EqualTo(new ApiOptions().MaxLimit));
        Assert.That(settings.Keystone.TokenCacheTime, Is.EqualTo(new KeystoneAuthTokenOptions().TokenCacheTime));
        Assert.That(settings.Keystone.ProjectName, Is.EqualTo(new KeystoneAuthTokenOptions().ProjectName));
        Assert.That(settings.Database.AutoMigrate, Is.True);
    }

    [Test]
    public void Every_documented_option_in_the_example_binds_to_a_setting()
    {
        // An option in the file that no class reads would silently do nothing for the operator.
        var known = new Dictionary<string, Type>
        {
            ["DEFAULT"] = typeof(ServiceOptions),
            ["database"] = typeof(DatabaseOptions),
            ["keystone_authtoken"] = typeof(KeystoneAuthTokenOptions),
            ["jobs"] = typeof(JobsOptions),
            ["api"] = typeof(ApiOptions),
            ["secrets"] = typeof(SecretsOptions),
            ["notifications"] = typeof(Draas.Workflows.Notifications.NotificationsOptions),
            ["telemetry"] = typeof(TelemetryOptions),
            ["storage"] = typeof(Draas.Storage.StorageSection),
            ["storage:pure"] = typeof(Draas.Plugins.Pure.PureSection),
            ["storage:rbd"] = typeof(Draas.Plugins.Ceph.CephSection),
        };
        string? section = null;
        foreach (var raw in File.ReadAllLines(RepoFile("etc/draas/draas.conf")))
        {
            var line = raw.TrimStart('#').Trim();
            if (line.StartsWith('[')) { section = line.Trim('[', ']'); continue; }
            if (!line.Contains(" = ") && !line.EndsWith(" =")) continue;
            var key = line.Split('=')[0].Trim();
            if (key.Contains(' ')) continue;
            var names = known[section!].GetProperties()
                .Select(p => p.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name);
            Assert.That(names, Does.Contain(key), $"[{section}] {key}");
        }
    }

    [Test]
    public void An_environment_variable_overrides_the_file()
    {
        Environment.SetEnvironmentVariable("DRAAS__JOBS__WORKERS", "7");
        Environment.SetEnvironmentVariable("DRAAS__DATABASE__CONNECTION", "Host=db.example;Database=x");
        try
        {
            var settings = ServiceHost.ReadSettings(Load(RepoFile("etc/draas/draas.conf")));
            Assert.That(settings.Jobs.Workers, Is.EqualTo(7));
            Assert.That(settings.Database.Connection, Is.EqualTo("Host=db.example;Database=x"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DRAAS__JOBS__WORKERS", null);
            Environment.SetEnvironmentVariable("DRAAS__DATABASE__CONNECTION", null);
        }
    }

    [Test]
    public void A_bad_configuration_fails_at_start_naming_every_bad_key()
    {
        var config = Load(RepoFile("etc/draas/draas.conf"), new Dictionary<string, string?>
        {
            ["DEFAULT:role"] = "everything",
            ["jobs:workers"] = "0",
            ["keystone_authtoken:auth_url"] = "not a url",
        });

        var error = Assert.Throws<ConfigurationException>(() => ServiceHost.ReadSettings(config));

        Assert.That(error!.Message, Does.Contain("[DEFAULT] role").And.Contain("[jobs] workers").And.Contain("[keystone_authtoken] auth_url"));
    }

    [Test]
    public void A_mail_relay_with_a_user_but_no_password_or_a_tracing_endpoint_that_is_no_url_stops_the_start()
    {
        var config = Load(RepoFile("etc/draas/draas.conf"), new Dictionary<string, string?>
        {
            ["notifications:host"] = "smtp.example.com",
            ["notifications:user"] = "draas",
            ["telemetry:otlp_endpoint"] = "collector:4317",  // no scheme: not a URL a collector listens on
        });

        var error = Assert.Throws<ConfigurationException>(() => ServiceHost.ReadSettings(config));

        Assert.That(error!.Message, Does.Contain("DRAAS__NOTIFICATIONS__PASSWORD").And.Contain("[telemetry] otlp_endpoint"));
    }

    [Test]
    public void A_value_of_the_wrong_type_names_its_section()
    {
        var config = Load(RepoFile("etc/draas/draas.conf"), new Dictionary<string, string?> { ["api:bind_port"] = "eighty" });

        var error = Assert.Throws<ConfigurationException>(() => ServiceHost.ReadSettings(config));

        Assert.That(error!.Message, Does.StartWith("[api]"));
    }

    [Test]
    public void A_named_configuration_file_that_does_not_exist_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("/nonexistent/draas.conf"));

        Assert.That(error!.Message, Does.Contain("/nonexistent/draas.conf"));
    }
}
