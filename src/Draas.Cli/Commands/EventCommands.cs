using System.CommandLine;
using Draas.Cli.Output;

namespace Draas.Cli.Commands;

/// <summary><c>draasctl events</c>: the audit log, newest first.</summary>
public static class EventCommands
{
    public static Command Build(CommandBuilder b)
    {
        var type = new Option<string?>("--resource-type") { Description = "site, array, protection, plan, run, ..." };
        var resource = new Option<string?>("--resource-id") { Description = "Only this resource's events" };
        var action = new Option<string?>("--action") { Description = "e.g. plan.create" };
        var since = new Option<string?>("--since") { Description = "ISO-8601 time" };
        var limit = new Option<int>("--limit") { Description = "At most this many events (default 50)", DefaultValueFactory = _ => 50 };
        return b.Command("events", "The audit log, newest first", async (c, ct) =>
        {
            if (c.Get(limit) < 1) throw CliException.Usage("--limit must be a positive number.");
            var api = await c.ApiAsync(ct);
            var events = await api.ListAsync("events", "events", new Dictionary<string, string?>
            {
                ["resource_type"] = c.Get(type),
                ["resource_id"] = c.Get(resource),
                ["action"] = c.Get(action),
                ["since"] = c.Get(since),
                ["limit"] = c.Get(limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            c.Output.List(events, Column.Of("ID", "id"), Column.Of("At", "at"), Column.Of("Action", "action"), Column.Of("Resource", "resource_type"),
                Column.Of("Resource id", "resource_id"), Column.Of("Outcome", "outcome"), Column.Of("User", "user_name"));
            return ExitCodes.Ok;
        }, type, resource, action, since, limit);
    }
}
