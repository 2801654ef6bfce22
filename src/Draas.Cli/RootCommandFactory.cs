using System.CommandLine;
using Draas.Cli.Commands;

namespace Draas.Cli;

/// <summary>Every draasctl command, mirroring the API's resources.</summary>
public static class RootCommandFactory
{
    public static RootCommand Build(CliHost host)
    {
        var globals = new GlobalOptions();
        var b = new CommandBuilder(host, globals);
        var root = new RootCommand("draasctl: operate the DRaaS service (sites, arrays, protections, plans, runs)");
        globals.AddTo(root);
        root.Subcommands.Add(SiteCommands.Build(b));
        root.Subcommands.Add(ArrayCommands.Build(b));
        root.Subcommands.Add(ProtectionCommands.Build(b));
        root.Subcommands.Add(PlanCommands.Build(b));
        root.Subcommands.Add(ManifestCommands.Build(b));
        root.Subcommands.Add(RunCommands.Build(b));
        root.Subcommands.Add(RunCommands.BuildRunbook(b));
        root.Subcommands.Add(EventCommands.Build(b));
        root.Subcommands.Add(StatusCommand.Build(b));
        return root;
    }
}
