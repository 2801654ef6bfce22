using System.Text.Json;
using Draas.Simulators.OpenStack.Core;

namespace Draas.Simulators.OpenStack.Compute;

/// <summary><c>POST /servers/{id}/action</c>: os-stop, os-start, reboot. Nova answers 202 at once and
/// changes the power state later; an action that does not fit the current state is 409.</summary>
internal static class ServerActionsApi
{
    public static void Map(RouteGroupBuilder v21, SimSite site)
    {
        v21.MapPost("/servers/{id}/action", async (HttpContext http, string id) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is not { ValueKind: JsonValueKind.Object } b || !b.EnumerateObject().Any())
                return ApiError.Fault(400, "Malformed request body");
            var action = b.EnumerateObject().First().Name;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (ServersApi.Find(site, t, id) is not { } s) return ServersApi.NotFound(id);
                if (!t.CanWrite) return ApiError.Fault(403, $"Policy doesn't allow os_compute_api:servers:{action} to be performed.");
                IResult Conflict() => ApiError.Fault(409,
                    $"Cannot '{action}' instance {s.Id} while it is in vm_state {s.VmState}");
                if (s.TaskState is not null) return ApiError.Fault(409, $"Cannot '{action}' instance {s.Id} while it is in task_state {s.TaskState}");
                switch (action)
                {
                    case "os-stop":
                        if (s.VmState != "active") return Conflict();
                        Transition(site, s, "powering-off", "SHUTOFF", "stopped", 4);
                        return Results.StatusCode(202);
                    case "os-start":
                        if (s.VmState != "stopped") return Conflict();
                        Transition(site, s, "powering-on", "ACTIVE", "active", 1);
                        return Results.StatusCode(202);
                    case "reboot":
                        if (s.VmState is not ("active" or "stopped")) return Conflict();
                        s.Status = "REBOOT";
                        Transition(site, s, "rebooting", "ACTIVE", "active", 1);
                        return Results.StatusCode(202);
                    default:
                        return ApiError.Fault(400, $"The simulator does not implement the server action '{action}'.");
                }
            });
        });
    }

    private static void Transition(SimSite site, Server s, string task, string status, string vmState, int power)
    {
        s.TaskState = task;
        s.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
        site.Scheduler.At(site.Delays.ServerPower, () =>
        {
            s.TaskState = null;
            s.Status = status;
            s.VmState = vmState;
            s.PowerState = power;
            s.UpdatedAt = site.Scheduler.Clock.GetUtcNow();
        });
    }
}
