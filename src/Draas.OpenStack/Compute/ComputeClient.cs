using Draas.OpenStack.Core;

namespace Draas.OpenStack.Compute;

public sealed class ComputeClient(ServiceClient client)
{
    public ServiceClient Client => client;
}
