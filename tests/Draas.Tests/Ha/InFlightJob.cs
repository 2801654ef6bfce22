using System.Collections.Concurrent;

namespace Draas.Tests.Ha;

/// <summary>
/// A Hangfire job for the HA tests: its first execution holds its worker until the worker is stopped
/// (the primary site dies under it); any later execution completes. Counts executions per marker.
/// </summary>
public sealed class InFlightJob
{
    private static readonly ConcurrentDictionary<string, int> Executions = new();

    public static int ExecutionsOf(string marker) => Executions.GetValueOrDefault(marker);

    public async Task RunAsync(string marker, CancellationToken ct)
    {
        if (Executions.AddOrUpdate(marker, 1, (_, n) => n + 1) == 1) await Task.Delay(Timeout.Infinite, ct);
    }
}
