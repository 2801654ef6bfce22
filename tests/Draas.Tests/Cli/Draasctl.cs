using System.Collections;
using System.Text.Json.Nodes;
using Draas.Cli;

namespace Draas.Tests.Cli;

/// <summary>What one draasctl invocation left behind: its exit code, stdout and stderr.</summary>
public sealed record CliResult(int Exit, string Out, string Err)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new AssertionException("draasctl printed JSON null");

    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>
/// draasctl in-process, as an operator's shell would run it: a fixed environment (no variable of
/// the test runner's own leaks in), a working directory, and optionally a terminal.
/// </summary>
public sealed class Draasctl
{
    public Dictionary<string, string> Env { get; } = [];

    public string WorkingDirectory { get; set; } = Path.GetTempPath();

    public bool Interactive { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    public Draasctl With(string name, string value)
    {
        Env[name] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var host = new CliHost
        {
            Out = stdout,
            Err = stderr,
            Env = new Hashtable(Env),
            WorkingDirectory = WorkingDirectory,
            Interactive = Interactive,
            PollInterval = PollInterval,
        };
        var exit = await Program.RunAsync(args, host);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and insists on exit 0, returning the result.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.That(result.Exit, Is.EqualTo(0), $"draasctl {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>Runs with <c>-f json</c> and insists on exit 0.</summary>
    public async Task<JsonNode> JsonAsync(params string[] args) => (await OkAsync([.. args, "-f", "json"])).Json;
}
