namespace Draas.Plugins.Pure.Rest.Models;

/// <summary>A reference to another object: <c>{"name": ..., "id": ...}</c>.</summary>
public sealed record NamedRef(string? Name, string? Id = null);

public sealed record Space(long? Virtual = null, long? TotalPhysical = null, long? Unique = null,
    long? Snapshots = null, long? TotalProvisioned = null);

/// <summary>The GET envelope. The token also comes in the <c>x-next-token</c> header.</summary>
public sealed record ListEnvelope<T>(
    string? ContinuationToken,
    bool? MoreItemsRemaining,
    long? TotalItemCount,
    IReadOnlyList<T>? Items);

/// <summary>The POST/PATCH envelope.</summary>
public sealed record ItemsEnvelope<T>(IReadOnlyList<T>? Items);

public sealed record ErrorItem(string? Context, string? Message);

/// <summary>Errors: <c>{"errors":[{context,message}]}</c>; 429 sends <c>{"message":...}</c>.</summary>
public sealed record ErrorEnvelope(IReadOnlyList<ErrorItem>? Errors, string? Message);
