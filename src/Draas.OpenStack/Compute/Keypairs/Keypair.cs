namespace Draas.OpenStack.Compute.Keypairs;

public sealed record Keypair
{
    public string Name { get; init; } = "";
    public string PublicKey { get; init; } = "";
    public string? Fingerprint { get; init; }
    /// <summary>ssh or x509 (2.2).</summary>
    public string? Type { get; init; }
    public string? UserId { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>POST /os-keypairs with a public key: recreate a tenant's key at the recovery site.</summary>
public sealed record ImportKeypairOptions
{
    public required string Name { get; init; }
    public required string PublicKey { get; init; }
    public string? Type { get; init; }
    /// <summary>Import for another user (admin, 2.10): keypairs belong to users, not projects.</summary>
    public string? UserId { get; init; }
}
