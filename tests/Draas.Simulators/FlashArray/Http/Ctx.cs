using System.Text.RegularExpressions;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>What a handler works on: the world, its engine, and the array the call was made to.</summary>
public sealed partial record Ctx(SimWorld World, ReplicationEngine Engine, SimArray Array)
{
    public DateTimeOffset Now => World.Clock.GetUtcNow();

    public Reply List(IEnumerable<object> items, Req req) => new(200, ListQuery.Apply(items, req, World.Options.MaxPageSize));

    /// <summary>Objects selected by <c>names</c> (each must exist) or all, then by <c>destroyed</c>.</summary>
    public static IEnumerable<T> Select<T>(Req req, string key, IEnumerable<T> all, Func<T, string> name, Func<T, bool> destroyed,
        string kind)
    {
        var names = req.List(key);
        var list = all.ToList();
        IEnumerable<T> chosen = names is null
            ? list
            : names.Select(n => list.FirstOrDefault(x => name(x) == n) ?? throw SimError.NotFound(kind, n)).ToList();
        return req.Destroyed is { } d ? chosen.Where(x => destroyed(x) == d) : chosen;
    }

    /// <summary>Purity's naming rule: letters, digits and '-', 1–63 characters, starting with a letter or digit.</summary>
    public static void ValidName(string name, string kind)
    {
        foreach (var part in name.Split("::"))
        {
            if (!NameRule().IsMatch(part)) throw new SimError($"Invalid {kind} name.", name);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")]
    private static partial Regex NameRule();
}
