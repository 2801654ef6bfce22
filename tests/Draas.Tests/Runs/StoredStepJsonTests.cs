using System.Text.Json;
using Draas.Workflows.Hooks;
using Draas.Workflows.Runs;
using Draas.Workflows.Runs.Steps;

namespace Draas.Tests.Runs;

/// <summary>
/// Runs planned before step inputs and outputs had records are still in the service's database, and the API,
/// the console and the reports read their JSON by name. Each literal here is a step's JSON exactly as the
/// planner (inputs) or its handler (outputs) stored it before: read into the kind's record and written back,
/// it must come out byte for byte, or a resumed run would read a field as absent and a report would lose it.
/// </summary>
[TestFixture]
public sealed class StoredStepJsonTests
{
    private const string Group = "6f1c2b9e-8a3d-4c57-9e0b-2d4f6a8c1e35";

    /// <summary>One stored input per step kind a worker executes, as the planner wrote it (nulls included).</summary>
    private static readonly Dictionary<string, (Type Record, string Json)> Inputs = new()
    {
        [RunPlanner.Preflight] = (typeof(PreflightInput), """{"kind":"planned_migration","primary_required":true}"""),
        [RunPlanner.StopServer] = (typeof(PlannedServer), """{"server_id":"srv-web","name":"web"}"""),
        [RunPlanner.ReplicateNow] = (typeof(LastSyncInput), $$"""{"group_id":"{{Group}}","mode":"async"}"""),
        [RunPlanner.DemoteSource] = (typeof(LastSyncInput), $$"""{"group_id":"{{Group}}","mode":"continuous"}"""),
        [RunPlanner.PromoteVolume] = (typeof(PromoteVolumeInput),
            $$"""{"volume_id":"vol-1","name":"web-boot","size_gib":20,"group_id":"{{Group}}","group":"draas-plan-web","source_array":"array-a","target_array":"array-b","array_volume":"volume-vol-1-cinder","mode":"async","purpose":"drill"}"""),
        [RunPlanner.ImportVolume] = (typeof(ImportVolumeInput), """{"volume_id":"vol-1","name":"web-boot","volume_type":"pure","bootable":true,"host":"cinder-b@pure#pool"}"""),
        [RunPlanner.EnsureFlavor] = (typeof(EnsureFlavorInput),
            """{"name":"m1.pinned","vcpus":2,"ram":4096,"disk":20,"ephemeral":0,"swap":0,"extra_specs":{"hw:cpu_policy":"dedicated","hw:numa_nodes":"1"}}"""),
        [RunPlanner.EnsureKeypair] = (typeof(EnsureKeypairInput), """{"name":"ops","fingerprint":"3c:1f:aa"}"""),
        [RunPlanner.BootServer] = (typeof(BootServerInput),
            """{"server_id":"srv-web","name":"web","flavor":"m1.small","key_name":null,"boot_volume":"vol-1","image":null,"data_volumes":["vol-2","vol-3"],"networks":[{"from":"private","to":"recovery-net","fixed_ip":null}],"ports":0,"availability_zone":"nova","server_group_id":null,"user_data":false,"config_drive":false,"tags":["web"],"priority_group":1}"""),
        [RunPlanner.HealthCheck] = (typeof(HealthCheckInput), """{"server_id":"srv-web","name":"web","type":"http","port":80,"path":"/","expect_status":200,"retries":5}"""),
        [RunPlanner.Cleanup] = (typeof(CleanupInput), """{"project_prefix":"draas-drill-"}"""),
        [RunPlanner.Reprotect] = (typeof(ReprotectInput), """{"groups":["draas-plan-web"]}"""),
        [RunPlanner.FencePrimary] = (typeof(FencePrimaryInput), $$"""{"servers":[{"server_id":"srv-app","name":"app"},{"server_id":"srv-web","name":"web"}],"groups":["{{Group}}"]}"""),
        [RunPlanner.RestartPrimary] = (typeof(RestartPrimaryInput), "{}"),
        [RunPlanner.CanaryWrite] = (typeof(CanaryInput), """{"server_id":"srv-web","name":"web","port":8080,"path":"/canary"}"""),
        [RunPlanner.CanaryCheck] = (typeof(CanaryInput), """{"server_id":"srv-web","name":"web","port":8080,"path":"/canary"}"""),
        [NetworkPlanning.EnsureNetwork] = (typeof(EnsureNetworkInput),
            """{"network_id":"net-1","name":"front","mode":"create","subnets":[{"id":"sub-1","name":"front-v4","cidr":"10.0.1.0/24","gateway_ip":"10.0.1.1"}]}"""),
        [NetworkPlanning.EnsureRouter] = (typeof(EnsureRouterInput), """{"router_id":"rtr-1","name":"edge","mode":"bubble","external_network":null,"subnets":["sub-1"]}"""),
        [NetworkPlanning.EnsureSecurityGroups] = (typeof(EnsureSecurityGroupsInput),
            """{"groups":[{"id":"sg-1","name":"default","rules":4,"remote_groups":["default"]},{"id":"sg-2","name":"web","rules":2,"remote_groups":[]}]}"""),
        [NetworkPlanning.EnsureServerGroup] = (typeof(EnsureServerGroupInput), """{"group_id":"sgp-1","name":"web-spread","policy":"anti-affinity"}"""),
        [NetworkPlanning.EnsurePort] = (typeof(EnsurePortInput),
            """{"port_id":"port-1","server_id":"srv-web","server":"web","nic":0,"network_id":"net-1","network":"front","mode":"create","fixed_ips":["10.0.1.10"],"keep_fixed_ips":true,"security_groups":["web"],"port_security_enabled":true,"allowed_address_pairs":0}"""),
        [NetworkPlanning.EnsureFloatingIp] = (typeof(EnsureFloatingIpInput),
            """{"floating_ip_id":"fip-1","address":"203.0.113.7","server_id":"srv-web","server":"web","port_id":"port-1","fixed_ip_address":"10.0.1.10","external_network":"public-b"}"""),
        [HookPlanner.WebhookStep] = (typeof(WebhookInput),
            """{"hook":0,"at":"after phase boot","url":"http://127.0.0.1:9/hook","timeout":30,"on_error":"continue","signed":true}"""),
        [CommitDecisions.RollbackStep] = (typeof(RollbackInput), "{}"),
    };

    /// <summary>Outputs other steps, the reports and the console read, as their handlers stored them (nulls left out).</summary>
    private static readonly (Type Record, string Json)[] Outputs =
    [
        (typeof(PreflightOutput),
            $$$"""{"target_project_id":"prj-b","recovery_points":{"{{{Group}}}":{"id":"pg-web.42","time":"2026-12-04T20:41:03.123+00:00","group":"draas-plan-web","held":5}},"networks":{"private":"net-b"},"warnings":[],"inventory_before":{"project":"prj-tenant","servers":["web"],"volumes":["web-boot"],"keypairs":[]},"stale_holds_released":[],"availability_zones":["nova","az-2"],"volume_types":["pure","__DEFAULT__"]}"""),
        (typeof(PromoteVolumeOutput),
            """{"array_volume":"draas-1a2b3c4d-volume-vol-1","manage_ref":{"source-name":"draas-1a2b3c4d-volume-vol-1"},"size_gib":20,"recovery_point":{"id":"pg-web.42","time":"2026-12-04T20:41:03.123+00:00"},"created_now":true}"""),
        (typeof(ImportVolumeOutput),
            """{"volume_id":"vol-b1","name":"web-boot","size_gib":20,"host":"cinder-b@pure#pool","volume_type":"pure","from_array_volume":"draas-1a2b3c4d-volume-vol-1"}"""),
        (typeof(BootServerOutput),
            """{"server_id":"srv-b1","name":"web","status":"ACTIVE","availability_zone":"nova","server_group_id":"sgp-b1","addresses":[{"network":"recovery-net","address":"10.9.0.5"}],"data_volumes":[{"from":"vol-2","volume_id":"vol-b2"}]}"""),
        (typeof(EnsureFlavorOutput), """{"flavor_id":"fl-b1","name":"m1.pinned-1a2b3c4d","created":true,"mapped_from":"m1.pinned"}"""),
        (typeof(EnsureKeypairOutput), """{"name":"ops","created":true,"tenant_user_id":"usr-b1","tenant_created":false}"""),
        (typeof(EnsureSecurityGroupsOutput),
            """{"groups":{"sg-1":{"id":"sg-b1","name":"default"}},"created":[],"rules_created":3,"rules_added_to_existing":["rule-b1"],"made_default_group":"sg-b1","skipped":[]}"""),
        (typeof(EnsureServerGroupOutput), """{"server_group_id":"sgp-b1","name":"web-spread","policy":"anti-affinity","created":true}"""),
        (typeof(EnsureNetworkOutput), """{"network_id":"net-b1","name":"front","mode":"create","subnets":{"sub-1":"sub-b1"}}"""),
        (typeof(EnsurePortOutput),
            """{"port_id":"port-b1","network_id":"net-b1","mode":"create","fixed_ips":["10.0.1.10"],"mac":"fa:16:3e:00:00:01","security_groups":["sg-b1"],"changed":[{"from":"10.0.1.11","reason":"keep_fixed_ips is false"}]}"""),
        (typeof(StopServerOutput), """{"server_id":"srv-web","was":"ACTIVE"}"""),
        (typeof(DemoteSourceOutput), """{"recovery_point":{"id":"pod-web.undo","time":"2026-12-04T20:41:03+00:00"},"quiesced":true,"undo":"pod-web.undo-demote","changes":["demoted pod-web"]}"""),
        (typeof(CanaryWriteOutput),
            """{"server_id":"srv-web","name":"web","address":"10.0.1.10","port":8080,"path":"/canary","token":"draas-canary 2026-12-04T20:41:03.123Z run 1a2b3c4d","written_at":"2026-12-04T20:41:03.123+00:00","attempts":1}"""),
        (typeof(FencePrimaryOutput),
            """{"primary_answered":true,"site":"site-a","fenced":true,"servers":[{"server_id":"srv-web","name":"web","was":"ACTIVE","off":true,"detail":"stopped"}],"groups":[{"group":"draas-plan-web","demoted":false,"detail":"an async protection group has no source to demote; its servers are stopped"}]}"""),
    ];

    [Test]
    public void Every_step_kind_a_worker_executes_reads_the_input_a_planner_stored_before_the_records_and_writes_it_back_unchanged()
    {
        Assert.That(Inputs.Keys, Is.EquivalentTo(RunPlanner.ExecutedKinds), "a stored input for every kind a worker executes");
        foreach (var (kind, (record, json)) in Inputs)
        {
            Assert.That(HandlerInput(kind), Is.EqualTo(record), $"{kind}'s handler reads this record");
            var read = JsonSerializer.Deserialize(json, record, RunJson.InputOptions)!;
            Assert.That(RunJson.Input(read).ToJsonString(RunJson.Options), Is.EqualTo(json), kind);
        }
        // A manual commit's decision is a person's, not a worker's, but its timeout and auto action are read the same way.
        const string decision = """{"commit_timeout":600,"auto_action":"commit"}""";
        Assert.That(RunJson.Input(RunJson.ReadInput<CommitDecisionInput>(decision)).ToJsonString(RunJson.Options), Is.EqualTo(decision));
    }

    [Test]
    public void The_outputs_other_steps_and_the_reports_read_keep_every_field_name_they_were_stored_with()
    {
        foreach (var (record, json) in Outputs)
            Assert.That(RunJson.Serialize(JsonSerializer.Deserialize(json, record, RunJson.Options)), Is.EqualTo(json), record.Name);
    }

    [Test]
    public void An_input_stored_by_an_older_planner_without_an_optional_field_gets_the_default_its_handler_always_used()
    {
        var port = RunJson.ReadInput<EnsurePortInput>("""{"port_id":"port-1","server_id":"srv-web"}""");
        Assert.That((port.Mode, port.KeepFixedIps, port.PortSecurityEnabled), Is.EqualTo(("map", true, true)));
        var check = RunJson.ReadInput<HealthCheckInput>("""{"server_id":"srv-web"}""");
        Assert.That((check.Type, check.Port, check.Path, check.ExpectStatus, check.Retries), Is.EqualTo(("tcp", 22, "/", 200, 5)));
        Assert.That(RunJson.ReadInput<PreflightInput>("""{"kind":"failover"}""").PrimaryRequired, Is.True);
        Assert.That(RunJson.ReadInput<CanaryInput>("""{"server_id":"srv-web"}"""), Is.EqualTo(new CanaryInput("srv-web", null, 80, "/canary")));
    }

    [Test]
    public void An_input_missing_what_its_step_cannot_do_without_is_refused_by_name()
    {
        var refusal = Assert.Throws<JsonException>(() => RunJson.ReadInput<ImportVolumeInput>("""{"name":"web-boot","host":"cinder-b@pure#pool"}"""))!;
        Assert.That(refusal.Message, Does.Contain("volume_id"));
    }

    /// <summary>The input record the product's handler of <paramref name="kind"/> reads (its StepHandler's first type argument).</summary>
    private static Type? HandlerInput(string kind) => typeof(RunPlanner).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(StepHandler<,>))
        .Where(t => ((IStepHandler)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t)).Kind == kind)
        .Select(t => t.BaseType!.GetGenericArguments()[0]).SingleOrDefault();
}
