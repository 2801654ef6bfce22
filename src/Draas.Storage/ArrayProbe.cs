namespace Draas.Storage;

/// <summary>An array connection as seen from the probed array.</summary>
public sealed record ArrayLink(string RemoteName, string Type, string Status)
{
    public bool Connected => Status == "connected";
}

/// <summary>The answer to "can we use this array": it answered, its version, space, and connections.</summary>
/// <param name="CapacityBytes">Usable physical capacity.</param>
/// <param name="UsedBytes">Physical space used (after data reduction).</param>
/// <param name="ProvisionedBytes">The sum of its volumes' provisioned (virtual) sizes; 0 when the array does not say.</param>
public sealed record ArrayProbe(
    string Name,
    string Version,
    string ApiVersion,
    long CapacityBytes,
    long UsedBytes,
    IReadOnlyList<ArrayLink> Connections,
    long ProvisionedBytes = 0)
{
    public long FreeBytes => Math.Max(0, CapacityBytes - UsedBytes);

    /// <summary>
    /// How much more can be provisioned (virtual size) on this thin-provisioned array at the rate the
    /// array reports it turns provisioned size into physical use (its provisioned ÷ physically used,
    /// never below 1:1); null when it cannot say (no capacity, or nothing used yet). A recovered volume's
    /// provisioned size is compared with this, never with physical free space: a 100 GiB volume holding
    /// 2 GiB of data does not need 100 GiB of disk.
    /// </summary>
    public long? ProvisioningHeadroomBytes =>
        CapacityBytes <= 0 || UsedBytes <= 0 || ProvisionedBytes <= 0
            ? null
            : (long)Math.Min(long.MaxValue, FreeBytes * Math.Max(1.0, (double)ProvisionedBytes / UsedBytes));
}
