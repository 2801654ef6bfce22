namespace Draas.Simulators.FlashArray.Http;

/// <summary>/arrays, /arrays/space, /array-connections.</summary>
public static class ArrayRoutes
{
    public static Reply? Handle(Ctx c, Req req) => (req.Method, req.Resource) switch
    {
        ("GET", "arrays") => c.List([new
        {
            c.Array.Id, c.Array.Name, c.Array.Version, Os = "Purity//FA", Capacity = c.Array.CapacityBytes, Space = Wire.Space(c.Array),
        }], req),
        ("GET", "arrays/space") => c.List([new { c.Array.Name, Capacity = c.Array.CapacityBytes, Space = Wire.Space(c.Array) }], req),
        ("GET", "array-connections") => c.List(c.World.ConnectionsOf(c.Array).Select(x => Wire.Connection(x, c.Array)), req),
        _ => null,
    };
}
