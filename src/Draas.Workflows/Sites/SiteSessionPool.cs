using System.Collections.Concurrent;
using Draas.Data.Secrets;
using Draas.Domain.Sites;
using Draas.OpenStack.Identity;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Sites;

/// <summary>
/// One Keystone session per site for the life of the process (sessions cache tokens and clients),
/// rebuilt when the site's registration changes.
/// </summary>
public sealed class SiteSessionPool(SecretProtector secrets, TimeProvider clock, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Version, KeystoneSession Session)> _sessions = new();
    private readonly Lock _gate = new();

    public KeystoneSession For(Site site)
    {
        if (_sessions.TryGetValue(site.Id, out var cached) && cached.Version == site.UpdatedAt) return cached.Session;
        lock (_gate)
        {
            if (_sessions.TryGetValue(site.Id, out cached) && cached.Version == site.UpdatedAt) return cached.Session;
            var session = new KeystoneSession(SiteSessions.OptionsFor(site, secrets.Unprotect(site.SecretCiphertext)), clock, loggers);
            _sessions[site.Id] = (site.UpdatedAt, session);
            // A stale session may still serve a call in flight; it is left to the collector, not disposed under it.
            return session;
        }
    }

    public void Dispose()
    {
        foreach (var (_, session) in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
