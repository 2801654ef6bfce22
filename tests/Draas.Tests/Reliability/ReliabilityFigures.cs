namespace Draas.Tests.Reliability;

/// <summary>
/// What one reliability test measured: runs it started, times it killed the service, faults the
/// simulators injected, leftovers its checks found. Printed when the test ends and appended to the file
/// DRAAS_CHAOS_FIGURES names (./tox -e chaos prints that file as the suite's summary).
/// </summary>
public sealed class ReliabilityFigures(string test)
{
    public int Runs { get; set; }

    public int Kills { get; set; }

    public long FaultsInjected { get; set; }

    public int Leftovers { get; set; }

    /// <summary>Anything else worth a number (restarts of PostgreSQL, steps that ran more than once).</summary>
    public Dictionary<string, long> Other { get; } = [];

    public string Line()
    {
        var other = string.Concat(Other.Select(o => $", {o.Key} {o.Value}"));
        return $"{test}: runs {Runs}, kills {Kills}, faults injected {FaultsInjected}, leftovers found {Leftovers}{other}";
    }

    public void Print()
    {
        var line = Line();
        TestContext.Progress.WriteLine($"[figures] {line}");
        var file = Environment.GetEnvironmentVariable("DRAAS_CHAOS_FIGURES");
        if (string.IsNullOrEmpty(file)) return;
        var outcome = TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed ? " (FAILED)" : "";
        File.AppendAllText(file, line + outcome + Environment.NewLine);
    }
}
