namespace Draas.Domain.Arrays;

/// <summary>A storage array at a site, driven by one plugin, serving one Cinder backend.</summary>
public sealed class StorageArray : IEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid SiteId { get; set; }
    public required string Plugin { get; set; }
    public required string Endpoint { get; set; }

    /// <summary>The array's API token, as Data Protection ciphertext.</summary>
    public required string ApiTokenCiphertext { get; set; }

    /// <summary>The Cinder backend this array serves, as <c>host@backend#pool</c>.</summary>
    public required string CinderBackend { get; set; }
    public List<string> VolumeTypes { get; set; } = [];
    public Guid? PeerArrayId { get; set; }
    public bool VerifyTls { get; set; } = true;
    public string? CaBundle { get; set; }

    /// <summary>Volume copies (promote_volume steps: a drill's copy or a failover's volume) the array makes at
    /// once, shared by every run whose volumes it holds.</summary>
    public int MaxConcurrentCopies { get; set; } = Sites.Site.DefaultMaxConcurrent;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }

    /// <summary>The array this one replicates with. A peering is registered once, on either array: after a reprotect
    /// the recovery array replicates back to the one that names it.</summary>
    public static StorageArray? PeerOf(StorageArray array, IEnumerable<StorageArray> arrays) =>
        array.PeerArrayId is { } peer ? arrays.FirstOrDefault(a => a.Id == peer) : arrays.FirstOrDefault(a => a.PeerArrayId == array.Id);
}
