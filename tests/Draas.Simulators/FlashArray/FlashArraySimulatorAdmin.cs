using System.Net.Http.Json;
using Draas.Simulators.FlashArray.Http;

namespace Draas.Simulators.FlashArray;

/// <summary>A write as the simulator recorded it; <c>At</c> is milliseconds since the epoch.</summary>
public sealed record SimWrite(long Seq, long At, string Data, long Bytes)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(At);
}

/// <summary>A copy the array made (a promotion, for the Pure plugin): its name then, its source, when.</summary>
public sealed record SimCopyRecord(string Name, string Source, long At);

/// <summary>The simulator's admin API over HTTP, as tests, the demo and the benchmarks drive it.</summary>
public sealed class FlashArraySimulatorAdmin(HttpClient http)
{
    public async Task<SimWrite> WriteAsync(string array, string volume, string data, long bytes = 1L << 20, CancellationToken cancellationToken = default) =>
        (await PostAsync<SimWrite>($"sim/arrays/{array}/volumes/{Uri.EscapeDataString(volume)}/writes", new { Data = data, Bytes = bytes }, cancellationToken).ConfigureAwait(false))!;

    public async Task<IReadOnlyList<SimWrite>> ReadAsync(string array, string volume, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"sim/arrays/{array}/volumes/{Uri.EscapeDataString(volume)}/writes", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        var page = await response.Content.ReadFromJsonAsync<WriteList>(SimJson.Options, cancellationToken).ConfigureAwait(false);
        return page?.Items ?? [];
    }

    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        PostAsync<object>("sim/clock/advance", new { Seconds = by.TotalSeconds }, cancellationToken);

    public Task SetArrayDownAsync(string array, bool down, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/arrays/{array}/{(down ? "down" : "up")}", null, cancellationToken);

    public Task SetLinkDownAsync(string a, string b, bool down, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/links/{a}/{b}/{(down ? "down" : "up")}", null, cancellationToken);

    public Task SetFaultsAsync(string array, int latencyMs, double errorRate, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/arrays/{array}/faults", new { LatencyMs = latencyMs, ErrorRate = errorRate }, cancellationToken);

    /// <summary>How many requests to <paramref name="array"/> were answered with an injected error so far.</summary>
    public async Task<long> InjectedFaultsAsync(string array, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"sim/arrays/{array}/faults", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<FaultView>(SimJson.Options, cancellationToken).ConfigureAwait(false))!.Injected;
    }

    /// <summary>Every copy <paramref name="array"/> has made, in order, whatever became of it since.</summary>
    public async Task<IReadOnlyList<SimCopyRecord>> CopiesAsync(string array, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"sim/arrays/{array}/copies", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<CopyList>(SimJson.Options, cancellationToken).ConfigureAwait(false))?.Items ?? [];
    }

    /// <summary>A permanent fault: copies whose source name ends with <paramref name="sourceSuffix"/> are refused with <paramref name="message"/>.</summary>
    public Task RefuseCopiesAsync(string array, string sourceSuffix, string message, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/arrays/{array}/refused-copies", new { Source = sourceSuffix, Message = message }, cancellationToken);

    public async Task AllowCopiesAsync(string array, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"sim/arrays/{array}/refused-copies", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public Task SetCapacityAsync(string array, long bytes, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/arrays/{array}/capacity", new { Bytes = bytes }, cancellationToken);

    public Task ExpireSessionsAsync(string array, CancellationToken cancellationToken = default) =>
        PostAsync<object>($"sim/arrays/{array}/sessions/expire", null, cancellationToken);

    private async Task<T?> PostAsync<T>(string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body ?? new { }, SimJson.Options, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(SimJson.Options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new HttpRequestException($"simulator admin call failed: {(int)response.StatusCode} {text}", null, response.StatusCode);
    }

    private sealed record WriteList(IReadOnlyList<SimWrite> Items);

    private sealed record CopyList(IReadOnlyList<SimCopyRecord> Items);

    private sealed record FaultView(long Injected);
}
