using Draas.Api.Configuration;
using Draas.Api.Hosting;
using Microsoft.Extensions.Configuration;

namespace Draas.Tests.Ha;

/// <summary>The two settings the second site depends on: how often the role is checked, how soon a dead worker's job is retaken.</summary>
[TestFixture]
public sealed class HaConfigurationTests
{
    private static IConfiguration Load(IDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationBuilder();
        builder.AddDraasSources(Draas.Tests.Support.RepoPaths.File("etc/draas/draas.conf"), overrides);
        return builder.Build();
    }

    [Test]
    public void The_shipped_values_are_the_defaults()
    {
        var settings = ServiceHost.ReadSettings(Load(new Dictionary<string, string?>()));

        Assert.That(settings.Database.RoleCheckInterval, Is.EqualTo(new DatabaseOptions().RoleCheckInterval).And.EqualTo(5));
        Assert.That(settings.Jobs.InvisibilityTimeout, Is.EqualTo(new JobsOptions().InvisibilityTimeout).And.EqualTo(300));
    }

    [Test]
    public void Out_of_range_values_stop_the_service_naming_the_keys()
    {
        var config = Load(new Dictionary<string, string?> { ["database:role_check_interval"] = "0", ["jobs:invisibility_timeout"] = "1" });

        var error = Assert.Throws<ConfigurationException>(() => ServiceHost.ReadSettings(config));

        Assert.That(error!.Message, Does.Contain("[database] role_check_interval").And.Contain("[jobs] invisibility_timeout"));
    }
}
