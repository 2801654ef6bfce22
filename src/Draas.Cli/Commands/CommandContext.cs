using System.CommandLine;
using Draas.Cli.Auth;
using Draas.Cli.Http;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary>What a command's action works with: the parsed line, the output, and (on first use) the logged-in API.</summary>
public sealed class CommandContext(CliHost host, GlobalOptions globals, ParseResult parsed) : IDisposable
{
    ApiClient? _api;

    public CliHost Host { get; } = host;

    public ParseResult Parsed { get; } = parsed;

    public Formatter Output { get; } = new(host, parsed.GetValue(globals.Format));

    public T Get<T>(Option<T> option) => Parsed.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parsed.GetValue(argument)!;

    public async Task<ApiClient> ApiAsync(CancellationToken ct)
    {
        if (_api is not null) return _api;
        var creds = CloudConfig.Resolve(Host, Parsed.GetValue(globals.Cloud), Parsed.GetValue(globals.Endpoint), Parsed.GetValue(globals.Region));
        _api = new ApiClient(await KeystoneLogin.LoginAsync(creds, ct));
        return _api;
    }

    public void Dispose() => _api?.Dispose();
}
