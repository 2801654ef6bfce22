using System.CommandLine;

namespace Draas.Cli.Commands;

/// <summary>Shared by every command file: attaches an action that gets a <see cref="CommandContext"/> and returns an exit code.</summary>
public sealed class CommandBuilder(CliHost host, GlobalOptions globals)
{
    public CliHost Host { get; } = host;

    public Command Command(string name, string description, Func<CommandContext, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }
        command.SetAction(async (parsed, ct) =>
        {
            using var context = new CommandContext(Host, globals, parsed);
            return await action(context, ct);
        });
        return command;
    }

    public static Command Group(string name, string description, params Command[] children)
    {
        var group = new Command(name, description);
        foreach (var child in children) group.Subcommands.Add(child);
        return group;
    }

    public static Argument<string> Id(string name, string description) => new(name) { Description = description };
}
