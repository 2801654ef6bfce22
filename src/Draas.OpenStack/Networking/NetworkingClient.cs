using Draas.OpenStack.Core;

namespace Draas.OpenStack.Networking;

public sealed class NetworkingClient(ServiceClient client)
{
    public ServiceClient Client => client;
}
