namespace Draas.Api.Policy;

/// <summary>
/// The default rules, in code as oslo.policy does; etc/draas/policy.yaml overrides any of them.
/// Cloud admins may do everything, a project member reads and writes their own project's
/// resources, a reader only reads them.
/// </summary>
public static class DefaultPolicies
{
    public static readonly IReadOnlyDictionary<string, string> Rules = new Dictionary<string, string>
    {
        ["admin_required"] = "role:admin",
        ["project_member"] = "role:member and project_id:%(project_id)s",
        ["project_reader"] = "(role:reader or role:member) and project_id:%(project_id)s",
        ["admin_or_member"] = "rule:admin_required or rule:project_member",
        ["admin_or_reader"] = "rule:admin_required or rule:project_reader",

        ["draas:site:list"] = "rule:admin_required",
        ["draas:site:get"] = "rule:admin_required",
        ["draas:site:create"] = "rule:admin_required",
        ["draas:site:update"] = "rule:admin_required",
        ["draas:site:delete"] = "rule:admin_required",
        ["draas:site:check"] = "rule:admin_required",

        ["draas:array:list"] = "rule:admin_required",
        ["draas:array:get"] = "rule:admin_required",
        ["draas:array:create"] = "rule:admin_required",
        ["draas:array:update"] = "rule:admin_required",
        ["draas:array:delete"] = "rule:admin_required",
        ["draas:array:probe"] = "rule:admin_required",

        ["draas:protection:list"] = "rule:admin_or_reader",
        ["draas:protection:list:all_projects"] = "rule:admin_required",
        ["draas:protection:get"] = "rule:admin_or_reader",
        ["draas:protection:create"] = "rule:admin_or_member",
        ["draas:protection:update"] = "rule:admin_or_member",
        ["draas:protection:delete"] = "rule:admin_or_member",
        // Having the service create the recovery project at the recovery site (once per protection).
        ["draas:protection:create_recovery_project"] = "rule:admin_or_member",
        // Naming a recovery project no admin mapped to the tenant's project: only admins, by default.
        ["draas:protection:use_unmapped_recovery_project"] = "rule:admin_required",

        // Which recovery-site project belongs to which tenant (project mappings): cloud admins only.
        ["draas:project_mapping:list"] = "rule:admin_required",
        ["draas:project_mapping:get"] = "rule:admin_required",
        ["draas:project_mapping:create"] = "rule:admin_required",
        ["draas:project_mapping:delete"] = "rule:admin_required",

        ["draas:plan:list"] = "rule:admin_or_reader",
        ["draas:plan:list:all_projects"] = "rule:admin_required",
        ["draas:plan:get"] = "rule:admin_or_reader",
        ["draas:plan:create"] = "rule:admin_or_member",
        ["draas:plan:update"] = "rule:admin_or_member",
        ["draas:plan:delete"] = "rule:admin_or_member",

        ["draas:run:list"] = "rule:admin_or_reader",
        ["draas:run:list:all_projects"] = "rule:admin_required",
        ["draas:run:get"] = "rule:admin_or_reader",
        ["draas:run:create:drill"] = "rule:admin_or_member",
        ["draas:run:create:failover"] = "rule:admin_required",
        ["draas:run:create:planned_migration"] = "rule:admin_required",
        ["draas:run:create:reprotect"] = "rule:admin_required",
        ["draas:run:create:failback"] = "rule:admin_required",
        // Cancel and resume also need draas:run:create:<kind> of the run: a member acts only on drills.
        ["draas:run:cancel"] = "rule:admin_or_member",
        ["draas:run:resume"] = "rule:admin_or_member",
        // Who may let a run past an approval hook: by default whoever may start its kind; set
        // draas:run:approve:failover to "role:dr_approver" to ask a separate person.
        ["draas:run:approve"] = "rule:admin_or_member",
        ["draas:run:approve:drill"] = "rule:admin_or_member",
        ["draas:run:approve:failover"] = "rule:admin_required",
        ["draas:run:approve:planned_migration"] = "rule:admin_required",
        ["draas:run:approve:reprotect"] = "rule:admin_required",
        ["draas:run:approve:failback"] = "rule:admin_required",
        // Keeping or taking back a failover or planned migration with manual commit (the run awaits commit).
        ["draas:run:commit"] = "rule:admin_required",
        ["draas:run:commit:failover"] = "rule:admin_required",
        ["draas:run:commit:planned_migration"] = "rule:admin_required",
        ["draas:run:rollback"] = "rule:admin_required",
        ["draas:run:rollback:failover"] = "rule:admin_required",
        ["draas:run:rollback:planned_migration"] = "rule:admin_required",

        ["draas:event:list"] = "rule:admin_or_reader",
        ["draas:event:list:all_projects"] = "rule:admin_required",
        ["draas:notification:list"] = "rule:admin_or_reader",
        ["draas:notification:list:all_projects"] = "rule:admin_required",
        ["draas:dashboard"] = "rule:admin_required",
        // Prometheus figures on the API port; a separate listener ([api] metrics_bind_host) needs no token.
        ["draas:metrics:get"] = "rule:admin_required or role:metrics",
    };
}
