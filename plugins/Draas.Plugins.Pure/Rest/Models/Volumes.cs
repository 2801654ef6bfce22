namespace Draas.Plugins.Pure.Rest.Models;

public sealed record Volume(
    string? Id,
    string Name,
    string? Serial,
    long Provisioned,
    long? Created,
    bool Destroyed,
    int? ConnectionCount,
    NamedRef? Pod,
    NamedRef? Source,
    string? PromotionStatus,
    Space? Space);

public sealed record VolumeSnapshot(
    string? Id,
    string Name,
    long? Created,
    bool Destroyed,
    long Provisioned,
    NamedRef? Source,
    string? Suffix,
    Space? Space);

/// <summary>POST /volumes: a new empty volume (<c>provisioned</c>) or a copy (<c>source</c>).</summary>
public sealed record VolumePost(long? Provisioned = null, NamedRef? Source = null);

/// <summary>PATCH /volumes: only the non-null fields are sent.</summary>
public sealed record VolumePatch(string? Name = null, bool? Destroyed = null, long? Provisioned = null, NamedRef? Pod = null);
