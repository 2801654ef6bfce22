using System.CommandLine;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary>The options every command takes (recursive on the root): output format, cloud, endpoint, region.</summary>
public sealed class GlobalOptions
{
    public Option<OutputFormat> Format { get; } = new("--format", "-f")
    {
        Description = "Output format: table, json or yaml",
        HelpName = "table|json|yaml",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = r => Enum.TryParse<OutputFormat>(r.Tokens.Single().Value, ignoreCase: true, out var f)
            ? f
            : Fail<OutputFormat>(r, $"-f takes table, json or yaml, not '{r.Tokens.Single().Value}'"),
    };

    public Option<string?> Cloud { get; } = new("--os-cloud") { Description = "Cloud in clouds.yaml (default: $OS_CLOUD)", Recursive = true };

    public Option<string?> Endpoint { get; } = new("--endpoint") { Description = "The DRaaS API URL (default: $DRAAS_ENDPOINT, else Keystone's catalog, type disaster-recovery)", Recursive = true };

    public Option<string?> Region { get; } = new("--os-region-name") { Description = "Region for the catalog lookup (default: $OS_REGION_NAME)", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Format);
        root.Options.Add(Cloud);
        root.Options.Add(Endpoint);
        root.Options.Add(Region);
    }

    static T Fail<T>(System.CommandLine.Parsing.ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }
}
