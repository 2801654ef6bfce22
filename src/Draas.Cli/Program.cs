using System.Collections;
using System.CommandLine;
using System.CommandLine.Invocation;

namespace Draas.Cli;

/// <summary>draasctl: the operator's command line for the DRaaS service.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        RunAsync(args, new CliHost
        {
            Out = Console.Out,
            Err = Console.Error,
            Env = Environment.GetEnvironmentVariables(),
            WorkingDirectory = Directory.GetCurrentDirectory(),
            Interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"),
        });

    /// <summary>The in-process entry point: what <c>Main</c> runs, and what tests drive.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IDictionary env, CancellationToken ct = default) =>
        RunAsync(args, new CliHost { Out = stdout, Err = stderr, Env = env, WorkingDirectory = Directory.GetCurrentDirectory() }, ct);

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        var root = RootCommandFactory.Build(host);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction or null)
        {
            host.Err.WriteLine($"draasctl: {parsed.Errors[0].Message.TrimEnd('.')}. See '{CommandPath(parsed.CommandResult)} --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Err, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            host.Err.WriteLine("draasctl: " + e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: System.CommandLine cancels the action's token.
            host.Err.WriteLine("draasctl: interrupted.");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours: still one line (and exit 1) for a script; DRAAS_DEBUG=1 shows where.
            host.Err.WriteLine($"draasctl: unexpected {e.GetType().Name}: {e.Message}");
            if (host.Var("DRAAS_DEBUG") is "1" or "true") host.Err.WriteLine(e);
            return ExitCodes.Failure;
        }
    }

    static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "draasctl" : r.Command.Name);
        return string.Join(' ', names);
    }
}
