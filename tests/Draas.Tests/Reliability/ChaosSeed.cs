namespace Draas.Tests.Reliability;

/// <summary>
/// Where the reliability suite's random choices come from: DRAAS_CHAOS_SEED, or a fixed default, so a
/// failure can be replayed with the seed the test printed. Each test mixes in its own name, so adding a
/// test does not change another's draws.
/// </summary>
public static class ChaosSeed
{
    public const int Default = 20261123;

    public static int Value =>
        int.TryParse(Environment.GetEnvironmentVariable("DRAAS_CHAOS_SEED"), System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed : Default;

    /// <summary>The test's own random source; prints the seed and how to replay it.</summary>
    public static Random For(string test)
    {
        var seed = Value;
        TestContext.Progress.WriteLine($"[chaos] {test}: seed {seed} (replay with DRAAS_CHAOS_SEED={seed})");
        // string.GetHashCode is randomised per process; this one is stable.
        var mix = test.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        return new Random(unchecked(seed ^ mix));
    }
}
