namespace Draas.Cli;

/// <summary>Ends a command with one plain sentence on stderr and an exit code (see <see cref="ExitCodes"/>).</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Usage, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(message, ExitCodes.Usage);

    public static CliException Failure(string message, Exception? inner = null) => new(message, ExitCodes.Failure, inner);
}
