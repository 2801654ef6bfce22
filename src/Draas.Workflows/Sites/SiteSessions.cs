using Draas.Domain.Sites;
using Draas.OpenStack.Identity;

namespace Draas.Workflows.Sites;

/// <summary>How a registered site's stored credential becomes a Keystone session.</summary>
public static class SiteSessions
{
    public static KeystoneSessionOptions OptionsFor(Site site, string secret) => site.AuthType == SiteAuthType.ApplicationCredential
        ? new KeystoneSessionOptions
        {
            AuthUrl = site.AuthUrl,
            Region = site.RegionName,
            Interface = site.Interface,
            ApplicationCredentialId = site.ApplicationCredentialId,
            ApplicationCredentialSecret = secret,
            NegotiateMicroversions = true,
        }
        : new KeystoneSessionOptions
        {
            AuthUrl = site.AuthUrl,
            Region = site.RegionName,
            Interface = site.Interface,
            Username = site.Username,
            UserDomainName = site.UserDomainName,
            Password = secret,
            ProjectName = site.ProjectName,
            ProjectDomainName = site.ProjectDomainName,
            NegotiateMicroversions = true,
        };
}
