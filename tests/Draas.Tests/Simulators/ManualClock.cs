namespace Draas.Tests.Simulators;

/// <summary>A clock the test moves by hand, so the simulator's asynchronous status changes happen exactly
/// when the test says (no sleeping). Starts at the real now so token expiry looks sane to clients.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
    }
}
