using System.Text.RegularExpressions;
using Draas.Simulators.FlashArray.Model;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>What a handler works on: the world, its engine, and the array the call was made to.</summary>
public sealed partial record Ctx(SimWorld World, ReplicationEngine Engine, SimArray Array)
{
    public DateTimeOffset Now => World.Clock.GetUtcNow();

    public Reply List(IEnumerable<object> items, Req req) => new(200, ListQuery.Apply(items, req, World.Options.MaxPageSize));

    /// <summary>
    /// Objects selected by <c>names</c> or, for the main selector, <c>ids</c> (each must exist; not both), or all,
    /// then by <c>destroyed</c>. As Purity does, a PATCH or DELETE must select: without names or ids it would
    /// change every object of the kind, and is refused. (The refusals' wording is ours; their status is Purity's.)
    /// </summary>
    public static IEnumerable<T> Select<T>(Req req, string key, IEnumerable<T> all, Func<T, string> name, Func<T, bool> destroyed,
        string kind)
    {
        var names = req.List(key);
        var ids = key == "names" ? req.List("ids") : null;
        if (names is not null && ids is not null) throw new SimError("Specify names or ids, not both.", "ids");
        if (key == "names" && names is null && ids is null && req.Method is ("PATCH" or "DELETE"))
            throw new SimError("Specify the objects to change with names or ids.", "names");
        var list = all.ToList();
        IEnumerable<T> chosen = names is not null
            ? names.Select(n => list.FirstOrDefault(x => name(x) == n) ?? throw SimError.NotFound(kind, n)).ToList()
            : ids is not null
                ? ids.Select(i => list.FirstOrDefault(x => IdOf(x) == i) ?? throw SimError.NotFound(kind, i)).ToList()
                : list;
        return req.Destroyed is { } d ? chosen.Where(x => destroyed(x) == d) : chosen;
    }

    /// <summary>Every array object has an <c>Id</c>; read it without each kind implementing an interface.</summary>
    private static string? IdOf<T>(T item) => typeof(T).GetProperty("Id")?.GetValue(item) as string;

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
