using Draas.Domain.Arrays;

namespace Draas.Api.V1;

/// <summary><c>{"array": {...}}</c> as sent to register or update an array. The API token is write-only.</summary>
public sealed record ArrayBody(ArrayFields? Array);

public sealed record ArrayFields(
    string? Name = null,
    Guid? SiteId = null,
    string? Plugin = null,
    string? Endpoint = null,
    string? ApiToken = null,
    string? CinderBackend = null,
    List<string>? VolumeTypes = null,
    Guid? PeerArrayId = null,
    bool? VerifyTls = null,
    string? CaBundle = null,
    int? MaxConcurrentCopies = null);

/// <summary>An array as the API shows it: never the token.</summary>
public sealed record ArrayView(
    Guid Id,
    string Name,
    Guid SiteId,
    string Plugin,
    string Endpoint,
    string CinderBackend,
    IReadOnlyList<string> VolumeTypes,
    Guid? PeerArrayId,
    bool VerifyTls,
    string? CaBundle,
    int MaxConcurrentCopies,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ArrayView Of(StorageArray a) => new(
        a.Id, a.Name, a.SiteId, a.Plugin, a.Endpoint, a.CinderBackend, a.VolumeTypes, a.PeerArrayId, a.VerifyTls, a.CaBundle, a.MaxConcurrentCopies, a.CreatedAt, a.UpdatedAt);
}
