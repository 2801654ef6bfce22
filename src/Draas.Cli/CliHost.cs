using System.Collections;

namespace Draas.Cli;

/// <summary>Where draasctl writes and what it reads from its surroundings: the console and the environment, or a test's stand-ins.</summary>
public sealed class CliHost
{
    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required IDictionary Env { get; init; }

    /// <summary>Where <c>./clouds.yaml</c> is looked for.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>True when stdout is a terminal: live views and colour; false gives plain lines.</summary>
    public bool Interactive { get; init; }

    /// <summary>How often <c>run watch</c> polls unless <c>--interval</c> says otherwise.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string? Var(string name) => Env.Contains(name) && Env[name] is string { Length: > 0 } value ? value : null;

    /// <summary>From HOME only, so a test's environment decides whether ~/.config/openstack is looked at.</summary>
    public string? Home => Var("HOME");
}
