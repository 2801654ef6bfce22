using Microsoft.Extensions.Configuration;

namespace Draas.Api.Configuration;

/// <summary>[DEFAULT]</summary>
public sealed class ServiceOptions
{
    public const string Section = "DEFAULT";

    /// <summary>api, worker or all: which halves of the service this process runs.</summary>
    [ConfigurationKeyName("role")]
    public string Role { get; set; } = "all";

    /// <summary>Log at debug level.</summary>
    [ConfigurationKeyName("debug")]
    public bool Debug { get; set; }

    public bool RunsApi => Role is "api" or "all";

    public bool RunsWorkers => Role is "worker" or "all";

    public IEnumerable<string> Validate()
    {
        if (Role is not ("api" or "worker" or "all")) yield return "[DEFAULT] role must be api, worker or all";
    }
}
