namespace Draas.Benchmarks.Results;

/// <summary>Writes the targets table of the latest full run into the README between its markers, so the
/// README shows measured figures without anyone copying them by hand. Quick or partial runs, and runs where a
/// benchmark failed, leave it alone: the README shows a whole run or none.</summary>
public static class ReadmeTargets
{
    private const string Begin = "<!-- bench:targets begin -->";
    private const string End = "<!-- bench:targets end -->";

    public static async Task UpdateAsync(BenchOptions options, BenchReport report)
    {
        if (options.Quick || options.Only.Count < 7 || report.Sections.Any(s => s.Error is not null)) return;
        var readme = Path.Combine(options.ResultsDir, "..", "..", "README.md");
        if (!File.Exists(readme)) return;
        var text = await File.ReadAllTextAsync(readme).ConfigureAwait(false);
        var (b, e) = (text.IndexOf(Begin, StringComparison.Ordinal), text.IndexOf(End, StringComparison.Ordinal));
        if (b < 0 || e < b) return;
        var table = $"\nThe latest `./tox -e bench` ({report.StartedAt:yyyy-MM-dd}, {Environment.ProcessorCount} cores; every figure in " +
            "[bench/results/results.md](bench/results/results.md)):\n\n" + Targets.Markdown(report) + "\n";
        await File.WriteAllTextAsync(readme, text[..(b + Begin.Length)] + table + text[e..]).ConfigureAwait(false);
    }
}
