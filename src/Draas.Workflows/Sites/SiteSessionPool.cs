using System.Collections.Concurrent;
using Draas.Data.Secrets;
using Draas.Domain.Sites;
using Draas.OpenStack.Identity;
using Microsoft.Extensions.Logging;

namespace Draas.Workflows.Sites;

/// <summary>
/// One Keystone session per site (and per project a run recovers into) for the life of the process:
/// sessions cache tokens and clients, and are rebuilt when the site's registration changes.
/// </summary>
public sealed class SiteSessionPool(SecretProtector secrets, TimeProvider clock, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<(Guid Site, string? Project), (DateTimeOffset Version, KeystoneSession Session)> _sessions = new();
    private readonly Lock _gate = new();

    /// <summary>The site's service credential, scoped as registered.</summary>
    public KeystoneSession For(Site site) => For(site, null);

    /// <summary>The site's service user with a token scoped to <paramref name="projectId"/>: what Nova and
    /// Cinder need to create servers and volumes inside a tenant's project. The user needs a role there.</summary>
    public KeystoneSession For(Site site, string? projectId)
    {
        var key = (site.Id, projectId);
        if (_sessions.TryGetValue(key, out var cached) && cached.Version == site.UpdatedAt) return cached.Session;
        lock (_gate)
        {
            if (_sessions.TryGetValue(key, out cached) && cached.Version == site.UpdatedAt) return cached.Session;
            var options = SiteSessions.OptionsFor(site, secrets.Unprotect(site.SecretCiphertext));
            if (projectId is not null)
            {
                options.ProjectId = projectId;
                options.ProjectName = null;
                options.ProjectDomainName = null;
            }
            var session = new KeystoneSession(options, clock, loggers);
            _sessions[key] = (site.UpdatedAt, session);
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
