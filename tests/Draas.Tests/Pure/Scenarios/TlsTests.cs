using Draas.Storage;

namespace Draas.Tests.Pure.Scenarios;

/// <summary>Arrays ship self-signed certificates; the plugin must not trust them silently.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class TlsTests
{
    [Test]
    public async Task An_array_certificate_from_an_unknown_CA_is_refused_by_default()
    {
        await using var arrays = await SimulatedArrays.StartAsync(o => o with { Tls = true });

        var error = Assert.ThrowsAsync<ArrayException>(() => arrays.Plugin.ProbeAsync(arrays.A));

        Assert.That(arrays.A.ManagementUrl.Scheme, Is.EqualTo("https"));
        Assert.That(error!.Kind, Is.EqualTo(ArrayErrorKind.Unreachable));
        Assert.That(error.InnerException?.ToString(), Does.Contain("SSL").IgnoreCase.Or.Contain("certificate").IgnoreCase);
    }

    [Test]
    public async Task The_CA_bundle_option_trusts_the_arrays_own_certificate()
    {
        await using var arrays = await SimulatedArrays.StartAsync(o => o with { Tls = true });
        var bundle = Path.Combine(Path.GetTempPath(), $"draas-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(bundle, arrays.Sim.CertificatePem);
        try
        {
            var probe = await arrays.Plugin.ProbeAsync(arrays.A with { CaBundlePath = bundle });

            Assert.That(probe.Name, Is.EqualTo("array-a"));
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Test]
    public async Task Turning_verification_off_is_possible_but_explicit()
    {
        await using var arrays = await SimulatedArrays.StartAsync(o => o with { Tls = true });

        var probe = await arrays.Plugin.ProbeAsync(arrays.A with { VerifyTls = false });

        Assert.That(probe.Name, Is.EqualTo("array-a"));
    }
}
