using Draas.Plugins.Pure;
using Draas.Storage;

namespace Draas.Tests.Storage;

[TestFixture]
public sealed class StorageContractTests
{
    [Test]
    public void The_catalog_finds_a_plugin_by_its_configured_name_in_any_case()
    {
        using var pure = new PurePlugin();
        var catalog = new StoragePluginCatalog([pure]);

        Assert.That(catalog.Get("pure"), Is.SameAs(pure));
        Assert.That(catalog.Get("PURE"), Is.SameAs(pure));
        var error = Assert.Throws<KeyNotFoundException>(() => catalog.Get("netapp"));
        Assert.That(error!.Message, Does.Contain("netapp").And.Contain("known: pure"));
    }

    [Test]
    public void Two_plugins_with_one_name_are_refused_at_start_up()
    {
        using var one = new PurePlugin();
        using var two = new PurePlugin();

        Assert.Throws<InvalidOperationException>(() => _ = new StoragePluginCatalog([one, two]));
    }

    [Test]
    public void An_array_reference_never_prints_its_api_token()
    {
        var array = new ArrayRef("array-a", new Uri("https://fa-a.example"), "T0P-SECRET");

        Assert.That(array.ToString(), Does.Not.Contain("T0P-SECRET").And.Contain("array-a"));
        Assert.That($"{array}", Does.Not.Contain("T0P-SECRET"));
    }

    [TestCase(1L, 1)]
    [TestCase(1L << 30, 1)]
    [TestCase((1L << 30) + 512, 2)]
    [TestCase(10L << 30, 10)]
    public void A_promoted_volume_is_sized_for_Cinder_in_whole_GiB_rounded_up(long bytes, int gib)
    {
        var volume = new PromotedVolume("v", bytes, new RecoveryPoint("rp", DateTimeOffset.UnixEpoch), true);

        Assert.That(volume.SizeGiB, Is.EqualTo(gib));
    }

    [Test]
    public void An_array_error_names_kind_array_object_status_and_request_id()
    {
        var error = new ArrayException(ArrayErrorKind.NotFound, "Volume does not exist.", "array-b",
            System.Net.HttpStatusCode.BadRequest, "req-1", "vol9");

        Assert.That(error.Message, Is.EqualTo("NotFound on array array-b (vol9): Volume does not exist. [HTTP 400] request req-1"));
    }
}
