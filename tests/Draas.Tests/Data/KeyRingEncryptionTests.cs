using Draas.Api.Configuration;
using Draas.Data;
using Draas.Data.Secrets;
using Draas.Tests.Api;
using Draas.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Data;

/// <summary>With a master key file, a stolen database dump holds the credentials and their key ring, and still cannot read them.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes
public sealed class KeyRingEncryptionTests
{
    private static string KeyFile(string contents)
    {
        var path = Path.Combine(Path.GetTempPath(), $"draas-master-{Guid.NewGuid():N}.key");
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static SecretProtector ProtectorOn(string connectionString, MasterKey? key, out ServiceProvider provider)
    {
        var services = new ServiceCollection();
        services.AddDbContext<DraasDbContext>(o => DatabaseSetup.UseDraasPostgres(o, connectionString));
        SecretProtector.AddTo(services, key);
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<SecretProtector>();
    }

    [Test]
    public async Task A_site_password_stored_under_a_master_key_cannot_be_read_from_the_database_alone()
    {
        var keyBytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var keyFile = KeyFile(Convert.ToBase64String(keyBytes));
        try
        {
            await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { ["secrets:master_key_file"] = keyFile });
            const string password = "Master-Keyed-Password-42";
            var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/v1/sites", KeystoneStandIn.AdminToken, SitesApiTests.SiteBody("site-keyed", password));
            Assert.That(status, Is.EqualTo(201), body?.ToJsonString());
            var ciphertext = await service.Database.ScalarAsync<string>("SELECT secret_ciphertext FROM sites WHERE name = 'site-keyed'");
            var ring = await service.Database.ScalarAsync<string>("SELECT string_agg(xml, '') FROM data_protection_keys");

            Assert.That(ring, Does.Contain("<encryptedKey").And.Not.Contain("<masterKey"), "the key ring's secret is stored encrypted");
            var withKey = ProtectorOn(service.Database.ConnectionString, new MasterKey(keyBytes), out var p1);
            await using (p1) Assert.That(withKey.Unprotect(ciphertext!), Is.EqualTo(password), "another instance with the same key file reads it");
            var withoutKey = ProtectorOn(service.Database.ConnectionString, null, out var p2);
            await using (p2) Assert.That(() => withoutKey.Unprotect(ciphertext!), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>(), "the dump alone does not");
            var wrongKey = ProtectorOn(service.Database.ConnectionString, new MasterKey(new byte[32]), out var p3);
            await using (p3) Assert.That(() => wrongKey.Unprotect(ciphertext!), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>(), "nor does another key");
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [TestCase("not base64 at all!", "is not base64")]
    [TestCase("c2hvcnQ=", "holds 5 bytes, not 32")]
    public void A_bad_master_key_file_stops_the_service_at_start_up_naming_the_setting(string contents, string expected)
    {
        var keyFile = KeyFile(contents);
        try
        {
            var problem = Assert.Throws<ConfigurationException>(() => new SecretsOptions { MasterKeyFile = keyFile }.Load())!;
            Assert.That(problem.Message, Does.StartWith("[secrets] master_key_file").And.Contain(expected));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Test]
    public void A_master_key_file_others_can_read_is_named_at_start_up()
    {
        var keyFile = KeyFile(Convert.ToBase64String(new byte[32]));
        try
        {
            var options = new SecretsOptions { MasterKeyFile = keyFile };
            Assert.That(options.PermissionProblem(), Is.Null);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            Assert.That(options.PermissionProblem(), Does.Contain("chmod 600"));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
