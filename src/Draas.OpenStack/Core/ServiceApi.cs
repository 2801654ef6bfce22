namespace Draas.OpenStack.Core;

/// <summary>What differs between the services at the HTTP level: catalog type and microversion header.</summary>
public sealed record ServiceApi(string CatalogType, string? MicroversionService, string? DefaultMicroversion, bool NovaLegacyHeader = false,
    string? MinimumMicroversion = null)
{
    public static readonly ServiceApi Identity = new("identity", null, null);
    /// <summary>Prefers 2.79, works down to 2.64 (the models read the 2.64+ shapes): 2.79: boot from volume with networks "none" (2.37), flavor extra specs inline (2.61), server group policy (2.64), attach with delete_on_termination.</summary>
    public static readonly ServiceApi Compute = new("compute", "compute", "2.79", NovaLegacyHeader: true, MinimumMicroversion: "2.64");
    /// <summary>Prefers 3.60, works down to 3.8: 3.60: manage existing (3.8), manageable list (3.8), backend state in services (3.49), time filters (3.60).</summary>
    public static readonly ServiceApi BlockStorage = new("volumev3", "volume", "3.60", MinimumMicroversion: "3.8");
    public static readonly ServiceApi Image = new("image", null, null);
    public static readonly ServiceApi Networking = new("network", null, null);
}
