namespace Draas.Tests.Support;

/// <summary>Files of the checkout the tests read (configuration samples, docs, tox), found from the test binary upwards.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "DraasService.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"no DraasService.sln above {AppContext.BaseDirectory}");
    }
}
