using Draas.Api.Configuration;
using Draas.Plugins.Pure;
using Draas.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Storage;

/// <summary>
/// An operator picks the storage plugins in draas.conf (<c>[storage] plugins = pure, rbd</c>), tunes each in its
/// own section, and a name or a value the build cannot honour stops the service at start-up naming the key.
/// </summary>
[TestFixture]
public sealed class PluginCompositionTests
{
    private static StoragePluginCatalog Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        Draas.Host.BuiltInPlugins.Add(services);
        using var provider = services.BuildServiceProvider();
        return StoragePluginServices.Compose([.. provider.GetServices<StoragePluginRegistration>()], configuration, provider);
    }

    [Test]
    public void The_configured_plugins_are_the_ones_in_the_catalog()
    {
        var catalog = Compose(new() { ["storage:plugins"] = " pure " });

        Assert.That(catalog.Names, Is.EquivalentTo(new[] { "pure" }));
        Assert.That(catalog.Get("pure"), Is.InstanceOf<PurePlugin>());
    }

    [Test]
    public void With_no_plugins_key_every_built_in_plugin_is_offered()
    {
        var catalog = Compose([]);

        Assert.That(catalog.Names, Does.Contain("pure"));
    }

    [Test]
    public void A_plugin_this_build_does_not_include_is_refused_naming_the_key_and_what_is_built_in()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => Compose(new() { ["storage:plugins"] = "pure, netapp" }));

        Assert.That(error!.Message, Does.Contain("[storage] plugins").And.Contain("'netapp'").And.Contain("built in: ").And.Contain("pure"));
    }

    [Test]
    public void A_bad_or_unknown_key_in_a_plugin_section_is_refused_naming_the_section()
    {
        var bad = Assert.Throws<StorageConfigurationException>(() => Compose(new() { ["storage:plugins"] = "pure", ["storage:pure:request_timeout"] = "0" }));
        Assert.That(bad!.Message, Does.Contain("[storage:pure]").And.Contain("request_timeout"));

        var typo = Assert.Throws<StorageConfigurationException>(() => Compose(new() { ["storage:plugins"] = "pure", ["storage:pure:request_timeuot"] = "5" }));
        Assert.That(typo!.Message, Does.Contain("storage:pure").And.Contain("request_timeuot"));
    }

    [Test]
    public void The_service_does_not_start_with_a_plugin_it_cannot_load()
    {
        var overrides = new Dictionary<string, string?>
        {
            ["database:connection"] = "Host=127.0.0.1;Port=1;Database=never-used",
            ["keystone_authtoken:auth_url"] = "http://127.0.0.1:1/v3",
            ["keystone_authtoken:password"] = "unused",
            ["storage:plugins"] = "hitachi",
        };

        var error = Assert.Throws<ConfigurationException>(() => Draas.Api.Hosting.ServiceHost.Build([], null, "all", overrides, storagePlugins: Draas.Host.BuiltInPlugins.Add));

        Assert.That(error!.Message, Does.Contain("'hitachi'"));
    }

    [Test]
    public void A_plugin_without_a_capability_is_refused_with_what_it_cannot_do()
    {
        var plugin = new CoreOnlyPlugin();

        var error = Assert.Throws<ArrayException>(() => plugin.Require<IReverseReplication>("reverse replication", "array-x"));

        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.InvalidRequest));
        Assert.That(error.Message, Does.Contain("'core-only' storage plugin cannot reverse replication").And.Contain("array-x"));
        using var pure = new PurePlugin();
        Assert.That(pure.Require<IReverseReplication>("reverse replication"), Is.SameAs(pure));
    }

    [Test]
    public void Each_plugin_says_how_Cinder_names_a_volume_on_its_array_from_the_whole_volume()
    {
        using var pure = new PurePlugin();
        var migrated = new CinderVolumeRef("11111111-aaaa-4000-8000-000000000001", NameId: "22222222-bbbb-4000-8000-000000000002");

        Assert.That(pure.ArrayVolumeName(migrated), Is.EqualTo("volume-22222222-bbbb-4000-8000-000000000002-cinder"), "a migrated volume keeps its name id on the array");
        Assert.That(pure.ArrayVolumeName(migrated with { NameId = null }), Is.EqualTo("volume-11111111-aaaa-4000-8000-000000000001-cinder"));
        Assert.That(pure.ManageExistingRef("copy-1"), Is.EquivalentTo(new Dictionary<string, string> { ["source-name"] = "copy-1" }));
    }

    /// <summary>A vendor with only the core: no reverse, no demote, no replicate-now.</summary>
    private sealed class CoreOnlyPlugin : IStoragePlugin
    {
        public string Name => "core-only";
        public IReadOnlySet<ReplicationMode> Modes { get; } = new HashSet<ReplicationMode> { ReplicationMode.Async };
        public string ArrayVolumeName(CinderVolumeRef volume) => volume.BackendId;
        public string? EndpointProblem(Uri endpoint) => null;
        public IReadOnlyDictionary<string, string> ManageExistingRef(string arrayVolumeName) => new Dictionary<string, string> { ["source-name"] = arrayVolumeName };
        public Task<ArrayProbe> ProbeAsync(ArrayRef array, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ProtectionResult> EnsureProtectedAsync(ProtectionSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> RemoveProtectionAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ReplicationStatus> GetReplicationStatusAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public IAsyncEnumerable<RecoveryPoint> ListRecoveryPointsAsync(ReplicationGroupRef group, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<PromotedVolume> PromoteVolumeAsync(PromoteRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> ReleaseDrillCopyAsync(ArrayRef recoveryArray, string arrayVolumeName, string? importedAsNameId = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
