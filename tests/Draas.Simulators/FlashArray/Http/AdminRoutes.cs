using System.Text.Json;
using System.Text.Json.Nodes;
using Draas.Simulators.FlashArray.Model;
using Microsoft.AspNetCore.Http;

namespace Draas.Simulators.FlashArray.Http;

/// <summary>
/// The simulator-only API under <c>/sim</c>: the clock, array and link switches, latency and error rates
/// (and how many errors were injected), refused copies, the log of copies made, capacity, session expiry, and each volume's write log (so a test can write to a primary and later
/// prove which writes a recovered copy holds).
/// </summary>
public static class AdminRoutes
{
    public static async Task HandleAsync(SimWorld world, ReplicationEngine engine, HttpContext http, string[] path)
    {
        var body = await SimJson.ReadBodyAsync(http.Request).ConfigureAwait(false);
        object? reply;
        var status = 200;
        try
        {
            reply = Route(world, engine, http.Request.Method, path, body);
        }
        catch (SimError e)
        {
            (status, reply) = (e.Status, FlashArraySimulator.Errors(e.Message, e.Context));
        }
        if (reply is null) (status, reply) = (404, FlashArraySimulator.Errors("No such admin call.", string.Join('/', path)));
        await FlashArraySimulator.WriteAsync(http, status, reply).ConfigureAwait(false);
    }

    private static object? Route(SimWorld world, ReplicationEngine engine, string method, string[] p, JsonNode? body)
    {
        if (p is ["clock"] && method == "GET") return Clock(world);
        if (p is ["clock", "advance"] && method == "POST")
        {
            world.Clock.Advance(TimeSpan.FromSeconds(body?["seconds"]?.GetValue<double>() ?? 0));
            lock (world.Gate) engine.CatchUp();
            return Clock(world);
        }
        lock (world.Gate)
        {
            engine.CatchUp();
            switch (p)
            {
                case ["arrays", var a, "down"] when method == "POST": world.Array(a).Down = true; return new { };
                case ["arrays", var a, "up"] when method == "POST": world.Array(a).Down = false; return new { };
                case ["arrays", var a, "faults"] when method == "POST":
                    world.Array(a).LatencyMs = body?["latency_ms"]?.GetValue<int>() ?? 0;
                    world.Array(a).ErrorRate = body?["error_rate"]?.GetValue<double>() ?? 0;
                    return new { };
                case ["arrays", var a, "faults"] when method == "GET":
                    var faulty = world.Array(a);
                    return new { faulty.LatencyMs, faulty.ErrorRate, Injected = faulty.InjectedFaults };
                case ["arrays", var a, "refused-copies"] when method == "POST":
                    world.Array(a).RefusedCopies[body?["source"]?.GetValue<string>() ?? throw new SimError("source is required")] =
                        body?["message"]?.GetValue<string>() ?? "Copy refused (injected fault).";
                    return new { };
                case ["arrays", var a, "refused-copies"] when method == "DELETE": world.Array(a).RefusedCopies.Clear(); return new { };
                case ["arrays", var a, "copies"] when method == "GET":
                    return new { Items = world.Array(a).Copies.Select(x => new { x.Name, x.Source, At = SimJson.Ms(x.At) }).ToList() };
                case ["arrays", var a, "capacity"] when method == "POST":
                    world.Array(a).CapacityBytes = body?["bytes"]?.GetValue<long>() ?? throw new SimError("bytes is required");
                    return new { };
                case ["arrays", var a, "sessions", "expire"] when method == "POST": world.Array(a).Sessions.Clear(); return new { };
                case ["links", var a, var b, var state] when method == "POST" && state is "down" or "up":
                    var x = world.Array(a);
                    var y = world.Array(b);
                    foreach (var c in world.Connections.Where(c => c.Joins(x, y))) c.Down = state == "down";
                    return new { };
                case ["arrays", var a, "volumes", var name, "writes"] when method == "GET":
                    return new { Items = Resolve(world, world.Array(a), name).Data.Writes.Select(ToWire).ToList() };
                case ["arrays", var a, "volumes", var name, "writes"] when method == "POST":
                    return ToWire(Write(world, world.Array(a), name, body));
                default:
                    return null;
            }
        }
    }

    private static Write Write(SimWorld world, SimArray array, string name, JsonNode? body)
    {
        if (array.Down) throw new SimError("Array is down.", array.Name, 503);
        var volume = Resolve(world, array, name);
        if (volume.Destroyed) throw SimError.Destroyed("Volume", name);
        if (volume.Pod is { PromotionStatus: not "promoted" }) throw new SimError("Pod is not promoted; its volumes are read-only.", name);
        var write = new Write(world.NextSeq(), world.Clock.GetUtcNow(), body?["data"]?.GetValue<string>() ?? "",
            body?["bytes"]?.GetValue<long>() ?? 1L << 20);
        volume.Data.Append(write);
        return write;
    }

    /// <summary>A volume by its full name, or by its own name when a plugin moved it into a live pod: the name
    /// a site's Cinder knows it by, so a test reads a protected volume's log without knowing the pod.</summary>
    private static SimVolume Resolve(SimWorld world, SimArray array, string name) =>
        world.FindVolume(array, name)
        ?? (name.Contains("::", StringComparison.Ordinal) ? null
            : array.Pods.Values.Where(p => !p.Destroyed).Select(p => p.Volumes.GetValueOrDefault(name)).FirstOrDefault(v => v is { Destroyed: false }))
        ?? throw SimError.NotFound("Volume", name);

    private static object ToWire(Write w) => new { w.Seq, At = SimJson.Ms(w.At), w.Data, w.Bytes };

    private static object Clock(SimWorld world)
    {
        var now = world.Clock.GetUtcNow();
        return new { Now = SimJson.Ms(now), Iso = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), world.Clock.Acceleration };
    }
}
