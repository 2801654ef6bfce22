using System.Net;
using Draas.Plugins.Pure.Rest;
using Draas.Storage;

namespace Draas.Tests.Pure;

/// <summary>FlashArray answers 400 for nearly everything; the kind comes from the message.</summary>
[TestFixture]
public sealed class ErrorMappingTests
{
    [TestCase(400, "Volume does not exist.", ArrayErrorKind.NotFound)]
    [TestCase(400, "Volume has been destroyed.", ArrayErrorKind.Destroyed)]
    [TestCase(400, "Volume already exists.", ArrayErrorKind.AlreadyExists)]
    [TestCase(400, "Protection group already includes the volume.", ArrayErrorKind.AlreadyExists)]
    [TestCase(400, "Host is already allowed on the target.", ArrayErrorKind.AlreadyExists)]
    [TestCase(400, "Volume already belongs to a pod.", ArrayErrorKind.AlreadyExists)]
    [TestCase(400, "Volume cannot be deleted due to existing connections.", ArrayErrorKind.InUse)]
    [TestCase(400, "Name is already in use.", ArrayErrorKind.InUse)]
    [TestCase(400, "Array space limit reached.", ArrayErrorKind.InsufficientCapacity)]
    [TestCase(400, "Array array-c is not connected.", ArrayErrorKind.NotConnected)]
    [TestCase(400, "Invalid volume name.", ArrayErrorKind.InvalidRequest)]
    [TestCase(401, "Invalid credentials.", ArrayErrorKind.Unauthorized)]
    [TestCase(403, "Permission denied.", ArrayErrorKind.Unauthorized)]
    [TestCase(404, "Not found.", ArrayErrorKind.NotFound)]
    [TestCase(503, "Service unavailable.", ArrayErrorKind.Unreachable)]
    public void Messages_map_to_kinds(int status, string message, ArrayErrorKind kind) =>
        Assert.That(ErrorMapping.Classify((HttpStatusCode)status, message), Is.EqualTo(kind));
}
