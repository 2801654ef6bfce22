using Microsoft.Extensions.DependencyInjection;

namespace Draas.Workflows.Runs;

/// <summary>
/// This process's pumps, one at a time per run. When a job's attempts of one run end together, each wants
/// its run pumped; the pumps would queue on the run's row lock and each redo the same work. A pump asked for
/// while one of the same run is under way here is folded into it: the running pump goes round once more (it
/// may have read the steps before the asking step's ending committed) and returns everything it claimed. Other
/// processes still take turns on the row lock, as before.
/// </summary>
public sealed class RunPumps(IServiceScopeFactory scopes)
{
    private readonly Dictionary<Guid, Pumping> _active = [];

    private sealed class Pumping
    {
        public bool Again;
    }

    /// <returns>What the pump claimed; nothing when the pump was folded into one already under way (which returns it).</returns>
    public async Task<ClaimedSteps> PumpAsync(Guid runId, string queue, CancellationToken ct)
    {
        var mine = new Pumping();
        lock (_active)
        {
            if (_active.TryGetValue(runId, out var running))
            {
                running.Again = true;
                return new ClaimedSteps(queue, []);
            }
            _active[runId] = mine;
        }
        var claimed = new List<StepTicket>();
        try
        {
            while (true)
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var pumped = await scope.ServiceProvider.GetRequiredService<RunEngine>().PumpClaimingAsync(runId, ct);
                    claimed.AddRange(pumped.Steps);
                }
                lock (_active)
                {
                    if (!mine.Again)
                    {
                        _active.Remove(runId);
                        return new ClaimedSteps(queue, claimed);
                    }
                    mine.Again = false;
                }
            }
        }
        catch
        {
            // The caller queues a pump job for the run, which covers the pumps folded into this one.
            lock (_active) _active.Remove(runId);
            throw;
        }
    }
}
