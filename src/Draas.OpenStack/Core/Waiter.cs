namespace Draas.OpenStack.Core;

/// <summary>How long to wait for a resource and how often to look.</summary>
public sealed record WaitOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Polls slow down by this factor up to <see cref="MaxInterval"/>, so a long import does not hammer the API.</summary>
    public double Backoff { get; init; } = 1.5;
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(15);

    public static WaitOptions Default { get; } = new();
}

/// <summary>What one look at a resource says about the wait.</summary>
public readonly record struct WaitVerdict(bool Done, string? Failure)
{
    public static WaitVerdict Reached => new(true, null);
    public static WaitVerdict Pending => new(false, null);
    public static WaitVerdict Failed(string why) => new(false, why);
}

/// <summary>Polls until a resource reaches a state, fails fast on an error state, or times out (on the TimeProvider's clock).</summary>
public static class Waiter
{
    public static async Task<T> UntilAsync<T>(string what, Func<CancellationToken, Task<T>> poll, Func<T, WaitVerdict> judge,
        WaitOptions? options, TimeProvider time, CancellationToken ct)
    {
        var o = options ?? WaitOptions.Default;
        var deadline = time.GetUtcNow() + o.Timeout;
        var interval = o.Interval;
        string? lastSeen = null;
        while (true)
        {
            var current = await poll(ct).ConfigureAwait(false);
            var verdict = judge(current);
            if (verdict.Done) return current;
            if (verdict.Failure is not null) throw new ResourceFailedException(what, verdict.Failure);
            lastSeen = current?.ToString() is { } seen && seen.Length > 300 ? seen[..300] + "…" : current?.ToString();
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) throw new WaitTimeoutException(what, o.Timeout, lastSeen);
            await Task.Delay(interval < left ? interval : left, time, ct).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * o.Backoff), o.MaxInterval.Ticks));
        }
    }

    /// <summary>Waits until each of <paramref name="ids"/> is judged done or is gone from <paramref name="list"/>, with one
    /// list per look however many there are; fails fast when one of them failed. Returns each as last listed (null: gone).</summary>
    public static async Task<IReadOnlyDictionary<string, T?>> UntilEachAsync<T>(string what, IReadOnlyCollection<string> ids, Func<CancellationToken, IAsyncEnumerable<T>> list,
        Func<T, string> idOf, Func<T, WaitVerdict> judge, WaitOptions? options, TimeProvider time, CancellationToken ct) where T : class
    {
        var last = await UntilAsync(what, async c => await list(c).Where(r => ids.Contains(idOf(r))).ToDictionaryAsync(idOf, cancellationToken: c).ConfigureAwait(false),
            Each, options, time, ct).ConfigureAwait(false);
        return ids.ToDictionary(id => id, id => last.GetValueOrDefault(id));

        // Failed as soon as one failed (named), reached when every listed one is; the unlisted are gone, so done.
        WaitVerdict Each(Dictionary<string, T> seen)
        {
            var done = true;
            foreach (var (id, resource) in seen)
            {
                var verdict = judge(resource);
                if (verdict.Failure is not null) return WaitVerdict.Failed($"{id}: {verdict.Failure}");
                done &= verdict.Done;
            }
            return done ? WaitVerdict.Reached : WaitVerdict.Pending;
        }
    }

    /// <summary>Waits until <paramref name="poll"/> answers 404: the resource is gone.</summary>
    public static async Task UntilGoneAsync<T>(string what, Func<CancellationToken, Task<T>> poll, Func<T, WaitVerdict> judge,
        WaitOptions? options, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await UntilAsync<T?>(what, async c =>
            {
                try { return await poll(c).ConfigureAwait(false); }
                catch (OpenStackException e) when (e.IsNotFound) { return default; }
            }, r => r is null ? WaitVerdict.Reached : judge(r), options, time, ct).ConfigureAwait(false);
        }
        catch (OpenStackException e) when (e.IsNotFound)
        {
        }
    }
}

/// <summary>A waited-for resource went to an error state (volume "error", "error_managing"; server "ERROR" with its fault).</summary>
public sealed class ResourceFailedException(string what, string failure)
    : OpenStackException($"{what}: {failure}", "waiter")
{
    public string Failure { get; } = failure;
}

/// <summary>A waited-for resource did not reach its state in time.</summary>
public sealed class WaitTimeoutException(string what, TimeSpan timeout, string? lastSeen)
    : OpenStackException($"{what}: not reached within {timeout} (last seen: {lastSeen ?? "nothing"})", "waiter");
