using Draas.OpenStack.Core;

namespace Draas.OpenStack.Image;

public sealed class ImageClient(ServiceClient client)
{
    public ServiceClient Client => client;
}
