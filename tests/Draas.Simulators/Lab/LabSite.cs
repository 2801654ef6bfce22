using Draas.Simulators.OpenStack;

namespace Draas.Simulators.Lab;

/// <summary>One site of the lab: its OpenStack cloud and the FlashArray behind its Cinder backend.</summary>
/// <param name="OpenStack">The site's admin handle: credentials (<c>Admin</c>, <c>Demo</c>), faults, guest writes.</param>
/// <param name="ArrayName">The array's own name (what the Pure plugin's <c>ArrayRef.Name</c> must be).</param>
/// <param name="ArrayUrl">The array's management URL (the REST client appends <c>/api/...</c>).</param>
/// <param name="ApiToken">The array's API token. Loopback only: it guards nothing.</param>
/// <param name="CinderBackend">The site's Cinder backend, <c>host@backend#pool</c>: the host of a manage-existing request.</param>
/// <param name="Store">The backend's view of the array, in process.</param>
public sealed record LabSite(
    SimSite OpenStack,
    string ArrayName,
    Uri ArrayUrl,
    string ApiToken,
    string CinderBackend,
    FlashArrayVolumeStore Store)
{
    public string Name => OpenStack.Name;
    public SiteCredentials Admin => OpenStack.Admin;
    public SiteCredentials Demo => OpenStack.Demo;
    public string AuthUrl => OpenStack.AuthUrl;
}
