namespace Draas.Simulators.FlashArray.Model;

/// <summary>An error the array answers with: HTTP 400 (or <paramref name="Status"/>) and the
/// <c>{"errors":[{"context","message"}]}</c> envelope, with Purity's message texts.</summary>
public sealed class SimError(string message, string? context = null, int status = 400) : Exception(message)
{
    public string? Context { get; } = context;
    public int Status { get; } = status;

    public static SimError NotFound(string kind, string name) => new($"{kind} does not exist.", name);
    public static SimError Exists(string kind, string name) => new($"{kind} already exists.", name);
    public static SimError Destroyed(string kind, string name) => new($"{kind} has been destroyed.", name);
}
