using Draas.OpenStack.Identity;

namespace Draas.Tests.OpenStack.Support;

/// <summary>A fresh WireMock cloud and a Keystone session against it for every test.</summary>
public abstract class FakeCloudTests
{
    protected FakeCloud Cloud { get; private set; } = null!;

    protected KeystoneSession Session { get; private set; } = null!;

    [SetUp]
    public void StartCloud()
    {
        Cloud = new FakeCloud();
        Session = Cloud.Session();
    }

    [TearDown]
    public void StopCloud()
    {
        Session.Dispose();
        Cloud.Dispose();
    }
}
