using Draas.Data.Secrets;
using Draas.Domain.Arrays;
using Draas.Storage;
using DomainMode = Draas.Domain.Protection.ReplicationMode;
using StorageMode = Draas.Storage.ReplicationMode;

namespace Draas.Workflows.Protection;

/// <summary>The one way a registered array becomes what a storage plugin is handed (its token decrypted only here).</summary>
public sealed class ArrayReferences(SecretProtector secrets)
{
    public ArrayRef For(StorageArray array) =>
        new(array.Name, new Uri(array.Endpoint), secrets.Unprotect(array.ApiTokenCiphertext), array.VerifyTls, array.CaBundle);

    public static StorageMode ModeOf(DomainMode mode) => mode switch
    {
        DomainMode.Sync => StorageMode.Sync,
        DomainMode.Continuous => StorageMode.Continuous,
        _ => StorageMode.Async,
    };
}
