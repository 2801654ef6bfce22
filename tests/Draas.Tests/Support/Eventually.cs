namespace Draas.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails the test with the description after the timeout.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await probe();
            if (value is not null) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {description}");
            await Task.Delay(100);
        }
    }
}
