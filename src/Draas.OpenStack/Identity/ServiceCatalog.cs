namespace Draas.OpenStack.Identity;

/// <summary>Finds a service's endpoint in a token's catalog by type, interface and region.</summary>
public static class ServiceCatalog
{
    /// <summary>
    /// The URL of the first endpoint of <paramref name="serviceType"/> on <paramref name="interface"/>
    /// in <paramref name="region"/> (any region when null). Throws with what the catalog does offer,
    /// because "no endpoint" is almost always a wrong region or interface in the site's config.
    /// </summary>
    public static Uri FindEndpoint(IReadOnlyList<CatalogEntry> catalog, string serviceType, string @interface, string? region)
    {
        var endpoint = catalog
            .Where(entry => string.Equals(entry.Type, serviceType, StringComparison.OrdinalIgnoreCase))
            .SelectMany(entry => entry.Endpoints)
            .FirstOrDefault(e => string.Equals(e.Interface, @interface, StringComparison.OrdinalIgnoreCase)
                && (region is null || e.RegionId == region || e.Region == region));
        if (endpoint is not null) return new Uri(endpoint.Url);

        var offered = catalog.SelectMany(entry => entry.Endpoints.Select(e => $"{entry.Type}/{e.Interface}/{e.RegionId ?? e.Region}"));
        throw new CatalogEndpointNotFoundException(serviceType, @interface, region, string.Join(", ", offered));
    }
}

public sealed class CatalogEndpointNotFoundException(string serviceType, string @interface, string? region, string offered)
    : OpenStackException($"no {@interface} endpoint of type '{serviceType}' in region '{region ?? "any"}' in the catalog (it has: {offered})", "identity")
{
    public string ServiceType { get; } = serviceType;
}
