namespace Draas.Storage;

/// <summary>An array connection as seen from the probed array.</summary>
public sealed record ArrayLink(string RemoteName, string Type, string Status)
{
    public bool Connected => Status == "connected";
}

/// <summary>The answer to "can we use this array": it answered, its version, space, and connections.</summary>
public sealed record ArrayProbe(
    string Name,
    string Version,
    string ApiVersion,
    long CapacityBytes,
    long UsedBytes,
    IReadOnlyList<ArrayLink> Connections)
{
    public long FreeBytes => Math.Max(0, CapacityBytes - UsedBytes);
}
