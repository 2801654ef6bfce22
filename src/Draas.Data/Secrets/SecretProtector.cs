using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Draas.Data.Secrets;

/// <summary>
/// Encrypts site and array credentials before they reach a table, with ASP.NET Core Data Protection
/// keys kept in the same database, so every service instance (and a promoted standby) can decrypt.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Draas.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);

    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("draas")
            .PersistKeysToDbContext<DraasDbContext>();
        services.AddSingleton<SecretProtector>();
    }
}
