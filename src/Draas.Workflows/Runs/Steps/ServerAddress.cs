namespace Draas.Workflows.Runs.Steps;

/// <summary>The address a step reaches a server at: Nova's accessIPv4, when the site sets one, is the address
/// meant for reaching the server; else its first fixed address. Null when it has neither.</summary>
public static class ServerAddress
{
    public static string? Pick(string? accessIpv4, IEnumerable<string?> addresses) =>
        accessIpv4 is { Length: > 0 } ? accessIpv4 : addresses.FirstOrDefault(a => a is { Length: > 0 });
}
