using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Data.Secrets;

/// <summary>
/// Encrypts site and array credentials before they reach a table, with ASP.NET Core Data Protection
/// keys kept in the same database, so every service instance (and a promoted standby) can decrypt.
/// With a <see cref="MasterKey"/> those keys are stored encrypted under it.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Draas.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);

    public static void AddTo(IServiceCollection services, MasterKey? masterKey = null)
    {
        services.AddDataProtection()
            .SetApplicationName("draas")
            .PersistKeysToDbContext<DraasDbContext>();
        if (masterKey is not null)
        {
            services.AddSingleton(masterKey);
            services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey));
        }
        services.AddSingleton<SecretProtector>();
    }
}
