using System.Collections.Concurrent;

namespace Draas.Simulators.FlashArray;

/// <summary>What each array's REST API is asked and how many volume copies it runs at once. Outside the
/// world's lock on purpose: a copy waits for its slot (in real time) without holding up other requests.</summary>
internal sealed class ArrayTraffic(FlashArraySimulatorOptions options)
{
    private readonly ConcurrentDictionary<string, Counter> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _copySlots = new(StringComparer.Ordinal);

    private sealed class Counter
    {
        public long Value;
    }

    public void Count(string array) => Interlocked.Increment(ref _requests.GetOrAdd(array, _ => new Counter()).Value);

    public long Requests(string array) => _requests.TryGetValue(array, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Takes one of the array's copy slots (none to take without a limit) and makes the copy's
    /// delay; the slot is freed when it ends, or when the client goes away.</summary>
    public async Task CopyAsync(string array, CancellationToken cancellationToken)
    {
        if (options.MaxConcurrentCopies <= 0)
        {
            await Task.Delay(options.CopyDelay, cancellationToken).ConfigureAwait(false);
            return;
        }
        var slots = _copySlots.GetOrAdd(array, _ => new SemaphoreSlim(options.MaxConcurrentCopies));
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(options.CopyDelay, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
