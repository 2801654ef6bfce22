using Draas.Data.Secrets;
using Draas.Tests.Api;
using Draas.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Tests.Data;

[TestFixture]
public sealed class SecretsAtRestTests
{
    [Test]
    public async Task A_site_password_is_stored_only_as_ciphertext_and_the_keys_live_in_the_database()
    {
        await using var service = await RunningService.StartAsync();
        const string password = "Correct-Horse-Battery-Staple-9";
        var id = (await service.SendAsync(HttpMethod.Post, "/v1/sites", KeystoneStandIn.AdminToken, SitesApiTests.SiteBody("site-secret", password))).Body!["site"]!["id"]!.GetValue<string>();

        var stored = await service.Database.ScalarAsync<string>("SELECT secret_ciphertext FROM sites WHERE id = $1", Guid.Parse(id));
        var wholeRow = await service.Database.ScalarAsync<string>("SELECT row_to_json(s)::text FROM sites s WHERE id = $1", Guid.Parse(id));
        var audit = await service.Database.ScalarAsync<string>("SELECT coalesce(string_agg(detail::text, ','), '') FROM audit_events");
        var keys = await service.Database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys");

        Assert.That(stored, Is.Not.Null.And.Not.Empty);
        Assert.That(wholeRow, Does.Not.Contain(password));
        Assert.That(audit, Does.Not.Contain(password));
        Assert.That(keys, Is.GreaterThanOrEqualTo(1));
        var protector = service.Services.GetRequiredService<SecretProtector>();
        Assert.That(protector.Unprotect(stored!), Is.EqualTo(password));
    }

    [Test]
    public async Task A_second_service_instance_on_the_same_database_decrypts_what_the_first_encrypted()
    {
        await using var first = await RunningService.StartAsync();
        var ciphertext = first.Services.GetRequiredService<SecretProtector>().Protect("shared-secret");

        // A second process reads the same key ring from PostgreSQL: nothing lives on local disk.
        var services = new ServiceCollection();
        services.AddDbContext<Draas.Data.DraasDbContext>(o => Draas.Data.DatabaseSetup.UseDraasPostgres(o, first.Database.ConnectionString));
        SecretProtector.AddTo(services);
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<SecretProtector>().Unprotect(ciphertext), Is.EqualTo("shared-secret"));
    }
}
