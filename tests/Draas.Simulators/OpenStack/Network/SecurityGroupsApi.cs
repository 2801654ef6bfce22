using Draas.Simulators.OpenStack.Core;
using Draas.Simulators.OpenStack.Identity;

namespace Draas.Simulators.OpenStack.Network;

/// <summary>Neutron security groups and rules: each project's <c>default</c> group appears when the project
/// first lists groups; rules take a remote CIDR or a remote group of the same project (not both), the same
/// rule twice is 409, and a group a port uses cannot be deleted.</summary>
internal static class SecurityGroupsApi
{
    private static readonly string[] Protocols = ["tcp", "udp", "icmp", "icmpv6", "any"];

    public static void Map(RouteGroupBuilder v2, SimSite site)
    {
        var state = site.Networks;
        SecurityGroup? Find(Token t, string id) => state.SecurityGroups.FirstOrDefault(g => g.Id == id && Neutron.Mine(t, g.ProjectId));

        v2.MapGet("/security-groups", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            var now = site.Scheduler.Clock.GetUtcNow();
            if (t.Project is not null) state.EnsureDefaultGroup(t.Project.Id, now);
            if (t.IsAdmin && http.Request.Query["project_id"].ToString() is { Length: > 0 } p) state.EnsureDefaultGroup(p, now);
            return Neutron.List(http, "security_groups", state.SecurityGroups.Where(g => Neutron.Mine(t, g.ProjectId)), g => NetworkViews.SecurityGroup(g, state), g => g.Id);
        }));
        v2.MapGet("/security-groups/{id}", (HttpContext http, string id) => site.Locked(() =>
            Find(http.Token(), id) is { } g ? SimJson.Json(new { security_group = NetworkViews.SecurityGroup(g, state) }) : Neutron.NotFound("SecurityGroup", id)));
        v2.MapPost("/security-groups", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "security_group");
            if (error is not null) return error;
            var t = http.Token();
            var owner = Neutron.Owner(t, item, "create_security_group", out error);
            if (error is not null) return error;
            var name = item.Str("name") ?? "";
            if (name == "default") return Neutron.Conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
            return site.Locked(() =>
            {
                var now = site.Scheduler.Clock.GetUtcNow();
                state.EnsureDefaultGroup(owner!, now);
                if (state.OverQuota(owner!, "security_group") is { } over) return Neutron.Conflict("OverQuota", over);
                if (state.OverQuota(owner!, "security_group_rule", 2) is { } overRules) return Neutron.Conflict("OverQuota", overRules);
                var g = new SecurityGroup { Id = Guid.NewGuid().ToString(), Name = name, ProjectId = owner!, Description = item.Str("description") ?? "", CreatedAt = now };
                state.SecurityGroups.Add(g);
                // A new group lets everything out, as Neutron's does.
                foreach (var ethertype in new[] { "IPv4", "IPv6" })
                    state.Rules.Add(new SecurityGroupRule { Id = Guid.NewGuid().ToString(), SecurityGroupId = g.Id, ProjectId = owner!, Direction = "egress", Ethertype = ethertype, CreatedAt = now });
                return SimJson.Json(new { security_group = NetworkViews.SecurityGroup(g, state) }, 201);
            });
        });
        v2.MapPut("/security-groups/{id}", async (HttpContext http, string id) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "security_group");
            if (error is not null) return error;
            return site.Locked(() =>
            {
                var t = http.Token();
                if (Find(t, id) is not { } g) return Neutron.NotFound("SecurityGroup", id);
                if (item.Str("name") is { } name) g.Name = name;
                if (item.Str("description") is { } d) g.Description = d;
                return SimJson.Json(new { security_group = NetworkViews.SecurityGroup(g, state) });
            });
        });
        v2.MapDelete("/security-groups/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (Find(t, id) is not { } g) return Neutron.NotFound("SecurityGroup", id);
            if (!t.CanWrite) return Neutron.Forbidden("delete_security_group");
            if (g.Name == "default" && !t.IsAdmin) return Neutron.Conflict("SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group.");
            if (state.Ports.Any(p => p.SecurityGroups.Contains(g.Id)))
                return Neutron.Conflict("SecurityGroupInUse", $"Security Group {g.Id} in use.");
            // Rules of other groups naming this one as their remote go with it (a cascading foreign key in Neutron).
            state.Rules.RemoveAll(r => r.SecurityGroupId == g.Id || r.RemoteGroupId == g.Id);
            state.SecurityGroups.Remove(g);
            return Results.NoContent();
        }));

        v2.MapGet("/security-group-rules", (HttpContext http) => site.Locked(() =>
        {
            var t = http.Token();
            return Neutron.List(http, "security_group_rules", state.Rules.Where(r => Neutron.Mine(t, r.ProjectId)), NetworkViews.Rule, r => r.Id);
        }));
        v2.MapGet("/security-group-rules/{id}", (HttpContext http, string id) => site.Locked(() =>
            state.Rules.FirstOrDefault(r => r.Id == id && Neutron.Mine(http.Token(), r.ProjectId)) is { } r
                ? SimJson.Json(new { security_group_rule = NetworkViews.Rule(r) })
                : Neutron.NotFound("SecurityGroupRule", id)));
        v2.MapPost("/security-group-rules", async (HttpContext http) =>
        {
            var (item, error) = await Neutron.ReadAsync(http, "security_group_rule");
            if (error is not null) return error;
            var t = http.Token();
            var direction = item.Str("direction");
            if (direction is not ("ingress" or "egress")) return Neutron.BadRequest($"Invalid input for direction. Reason: {direction} is not in valid_values.");
            var ethertype = item.Str("ethertype") ?? "IPv4";
            if (ethertype is not ("IPv4" or "IPv6")) return Neutron.BadRequest($"Invalid input for ethertype. Reason: {ethertype} is not in valid_values.");
            var protocol = item.Str("protocol")?.ToLowerInvariant();
            if (protocol is not null && !Protocols.Contains(protocol) && !(int.TryParse(protocol, out var pn) && pn is >= 0 and <= 255))
                return Neutron.BadRequest($"Security group rule protocol {protocol} not supported. Only protocol values [None, 'tcp', 'udp', 'icmp', 'icmpv6'] and integer representations [0 to 255] are supported.");
            var min = item.Int("port_range_min");
            var max = item.Int("port_range_max");
            if ((min is not null || max is not null) && protocol is null)
                return Neutron.BadRequest("Must also specify protocol if port range is given.");
            if (protocol is "tcp" or "udp" && min is not null && max is not null && min > max)
                return Neutron.BadRequest("For TCP/UDP protocols, port_range_min must be <= port_range_max");
            var prefix = item.Str("remote_ip_prefix");
            var remoteGroup = item.Str("remote_group_id");
            if (prefix is not null && remoteGroup is not null)
                return Neutron.BadRequest("Only remote_ip_prefix or remote_group_id may be provided.");
            if (prefix is not null && !NetworkState.IsCidr(prefix) && !(prefix.Contains('/') && prefix.EndsWith("/0", StringComparison.Ordinal)))
                return Neutron.BadRequest($"Invalid input for remote_ip_prefix. Reason: '{prefix}' is not a valid IP subnet.");
            return site.Locked(() =>
            {
                var groupId = item.Str("security_group_id") ?? "";
                if (Find(t, groupId) is not { } g) return Neutron.NotFound("SecurityGroup", groupId);
                if (!t.CanWrite) return Neutron.Forbidden("create_security_group_rule");
                if (remoteGroup is not null && Find(t, remoteGroup) is null) return Neutron.NotFound("SecurityGroup", remoteGroup);
                if (state.OverQuota(g.ProjectId, "security_group_rule") is { } over) return Neutron.Conflict("OverQuota", over);
                var r = new SecurityGroupRule
                {
                    Id = Guid.NewGuid().ToString(),
                    SecurityGroupId = g.Id,
                    ProjectId = g.ProjectId,
                    Direction = direction,
                    Ethertype = ethertype,
                    Protocol = protocol,
                    PortRangeMin = min,
                    PortRangeMax = max ?? (protocol is "tcp" or "udp" ? min : null),
                    RemoteIpPrefix = prefix,
                    RemoteGroupId = remoteGroup,
                    Description = item.Str("description") ?? "",
                    CreatedAt = site.Scheduler.Clock.GetUtcNow(),
                };
                if (state.Rules.FirstOrDefault(x => x.Identity == r.Identity) is { } same)
                    return Neutron.Conflict("SecurityGroupRuleExists", $"Security group rule already exists. Rule id is {same.Id}.");
                state.Rules.Add(r);
                return SimJson.Json(new { security_group_rule = NetworkViews.Rule(r) }, 201);
            });
        });
        v2.MapDelete("/security-group-rules/{id}", (HttpContext http, string id) => site.Locked(() =>
        {
            var t = http.Token();
            if (state.Rules.FirstOrDefault(r => r.Id == id && Neutron.Mine(t, r.ProjectId)) is not { } r) return Neutron.NotFound("SecurityGroupRule", id);
            if (!t.CanWrite) return Neutron.Forbidden("delete_security_group_rule");
            state.Rules.Remove(r);
            return Results.NoContent();
        }));
    }
}
