using System.Collections.Concurrent;
using Draas.Plugins.Pure.Rest;
using Draas.Storage;
using Microsoft.Extensions.Logging;

namespace Draas.Plugins.Pure;

/// <summary>One <see cref="FlashArrayClient"/> per array endpoint and token, reused across calls so the
/// session and negotiated version are kept.</summary>
internal sealed class ClientPool(PurePluginOptions options, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<(string Name, string Url, string Token, bool Verify, string? Ca), Lazy<FlashArrayClient>> _clients = new();

    public FlashArrayClient For(ArrayRef array) =>
        _clients.GetOrAdd((array.Name, array.ManagementUrl.AbsoluteUri, array.ApiToken, array.VerifyTls, array.CaBundlePath),
            _ => new Lazy<FlashArrayClient>(() => new FlashArrayClient(new FlashArrayClientOptions
            {
                ArrayName = array.Name,
                BaseUrl = array.ManagementUrl,
                ApiToken = array.ApiToken,
                VerifyTls = array.VerifyTls,
                CaBundlePath = array.CaBundlePath,
                RequestTimeout = options.RequestTimeout,
                MaxAttempts = options.MaxAttempts,
                FirstBackoff = options.FirstBackoff,
            }, time, loggers.CreateLogger<FlashArrayClient>()))).Value;

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated)) client.Value.Dispose();
    }
}
