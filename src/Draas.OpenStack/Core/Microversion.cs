namespace Draas.OpenStack.Core;

/// <summary>Microversions are "major.minor" compared numerically (3.10 is after 3.9).</summary>
public static class Microversion
{
    public static (int Major, int Minor) Parse(string version)
    {
        var parts = version.Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor))
            throw new FormatException($"'{version}' is not a microversion (major.minor)");
        return (major, minor);
    }

    public static int Compare(string a, string b) => Parse(a).CompareTo(Parse(b));

    /// <summary>The later of the two: for a call that needs at least <paramref name="minimum"/>.</summary>
    public static string AtLeast(string? current, string minimum) =>
        current is null || Compare(current, minimum) < 0 ? minimum : current;
}
