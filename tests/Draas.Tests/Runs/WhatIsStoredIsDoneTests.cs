using System.Text.Json.Nodes;
using Draas.OpenStack.BlockStorage.Volumes;
using Draas.OpenStack.Compute.Flavors;
using Draas.Tests.Protection;
using Draas.Tests.Support;

namespace Draas.Tests.Runs;

/// <summary>
/// What a plan says is what the arrays and clouds do: deleting a plan stops its replication (unless kept on
/// purpose, and never under a running run), its retention is the number of recovery points the recovery
/// array keeps, a same-named flavor at the recovery site is used only when it is the same flavor, and the
/// capacity check asks the array what it can still provision.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WhatIsStoredIsDoneTests
{
    private TenantInTheLab _t = null!;
    private ArrayInspector _arrayA = null!;
    private ArrayInspector _arrayB = null!;

    private static CancellationToken Ct => CancellationToken.None;

    [OneTimeSetUp]
    public async Task Start()
    {
        _t = await TenantInTheLab.StartAsync();
        _arrayA = new ArrayInspector(_t.Lab.SiteA.ArrayUrl, _t.Lab.SiteA.ApiToken);
        _arrayB = new ArrayInspector(_t.Lab.SiteB.ArrayUrl, _t.Lab.SiteB.ApiToken);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _arrayA.Dispose();
        _arrayB.Dispose();
        await _t.DisposeAsync();
    }

    /// <summary>A plan of one new volume, protected: its id and its protection group's name.</summary>
    private async Task<(string Plan, string Group)> ScratchPlanAsync(string name, int retention = 12)
    {
        var volume = (await _t.TenantA.BlockStorage.Volumes.CreateAsync(new CreateVolumeOptions { Size = 1, Name = name }, Ct)).Id;
        await _t.TenantA.BlockStorage.Volumes.WaitForStatusAsync(volume, "available", null, Ct);
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/plans", TenantInTheLab.Admin, new
        {
            plan = new
            {
                protection_id = _t.Protection,
                name,
                replication = new { mode = "async", interval_seconds = 60, retention },
                resources = new object[] { new { kind = "volume", id = volume } },
            },
        });
        Assert.That(status, Is.EqualTo(201), body?.ToJsonString());
        var plan = body!["plan"]!["id"]!.GetValue<string>();
        await _t.ProtectAsync(plan);
        var group = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{plan}/status", TenantInTheLab.Admin)).Body!["status"]!["groups"]![0]!["name"]!.GetValue<string>();
        return (plan, group);
    }

    private async Task<JsonNode> StepOutputAsync(string run, string kind, string target)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_t.Service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select output::text from steps where run_id = @r and kind = @k and target = @t", connection);
        command.Parameters.AddWithValue("r", Guid.Parse(run));
        command.Parameters.AddWithValue("k", kind);
        command.Parameters.AddWithValue("t", target);
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!;
    }

    private async Task<bool> GroupExistsAsync(string group) =>
        (await _arrayA.GetAsync("protection-groups")).Any(g => g!["name"]!.GetValue<string>() == group && g["destroyed"]?.GetValue<bool>() != true);

    [Test]
    public async Task Deleting_a_plan_removes_its_protection_group_from_the_array_unless_replication_is_kept()
    {
        var (removed, removedGroup) = await ScratchPlanAsync("scratch-removed");
        var (kept, keptGroup) = await ScratchPlanAsync("scratch-kept");
        Assert.That(await GroupExistsAsync(removedGroup), Is.True);
        Assert.That(await GroupExistsAsync(keptGroup), Is.True);

        var (deleted, body, _) = await _t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{removed}", TenantInTheLab.Admin);
        Assert.That(deleted, Is.EqualTo(204), body?.ToJsonString());
        var (keptStatus, keptBody, _) = await _t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{kept}?keep_replication=true", TenantInTheLab.Admin);
        Assert.That(keptStatus, Is.EqualTo(204), keptBody?.ToJsonString());

        Assert.That(await GroupExistsAsync(removedGroup), Is.False, "the deleted plan's protection group no longer replicates");
        Assert.That(await GroupExistsAsync(keptGroup), Is.True, "keep_replication=true leaves the group replicating");
        var events = (await _t.Service.SendAsync(HttpMethod.Get, "/v1/events?limit=200", TenantInTheLab.Admin)).Body!["events"]!.AsArray();
        var audit = events.Single(e => e!["action"]!.GetValue<string>() == "plan.delete" && e["resource_id"]!.GetValue<string>() == removed)!;
        Assert.That(audit["detail"]!.ToJsonString(), Does.Contain(removedGroup), "the audit log says which group went");
        var (bad, badBody, _) = await _t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{_t.Plan}?keep_replication=maybe", TenantInTheLab.Admin);
        Assert.That(bad, Is.EqualTo(400), badBody?.ToJsonString());
    }

    [Test]
    public async Task A_plan_with_a_run_that_has_not_ended_cannot_be_deleted()
    {
        var (status, body, _) = await _t.Service.SendAsync(HttpMethod.Post, "/v1/runs", TenantInTheLab.Admin, new { run = new { plan_id = _t.Plan, kind = "drill" } });
        Assert.That(status, Is.EqualTo(202), body?.ToJsonString());
        var run = body!["run"]!["id"]!.GetValue<string>();

        var (deleted, refusal, _) = await _t.Service.SendAsync(HttpMethod.Delete, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin);

        Assert.That(deleted, Is.EqualTo(409), refusal?.ToJsonString());
        Assert.That(refusal!["conflict"]!["message"]!.GetValue<string>(), Does.Contain("has a drill run that has not ended").And.Contain(run));
        var end = await Eventually.WaitForAsync(async () =>
        {
            var r = (await _t.Service.SendAsync(HttpMethod.Get, $"/v1/runs/{run}", TenantInTheLab.Admin)).Body!["run"]!;
            return r["state"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled" ? r : null;
        }, "the drill to end", TimeSpan.FromSeconds(120));
        Assert.That(end["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(end));
        Assert.That((await _t.Service.SendAsync(HttpMethod.Get, $"/v1/plans/{_t.Plan}", TenantInTheLab.Admin)).Status, Is.EqualTo(200), "the plan is still there");
    }

    [Test]
    public async Task A_plans_retention_is_the_number_of_recovery_points_the_recovery_array_keeps()
    {
        var (_, group) = await ScratchPlanAsync("scratch-retention", retention: 3);
        async Task<int> PointsAsync() => (await _arrayB.GetAsync("protection-group-snapshots"))
            .Count(s => s!["name"]!.GetValue<string>().StartsWith($"{_t.Lab.SiteA.ArrayName}:{group}.", StringComparison.Ordinal) && s["destroyed"]?.GetValue<bool>() != true);

        // Ten replication intervals of the lab's clock: without retention all ten would stay.
        var start = _t.Lab.Clock.GetUtcNow();
        await Eventually.WaitForAsync(async () => { await Task.Delay(500); return _t.Lab.Clock.GetUtcNow() - start > TimeSpan.FromSeconds(600) ? "yes" : null; },
            "ten replication intervals", TimeSpan.FromSeconds(120));

        var points = await PointsAsync();
        TestContext.Out.WriteLine($"recovery points of {group} at array-b after 10 intervals: {points}");
        Assert.That(points, Is.InRange(2, 3), "the plan's retention of 3 is what the recovery array keeps");
    }

    [Test]
    public async Task A_same_named_flavor_at_the_recovery_site_without_the_extra_specs_is_not_used_a_mapped_one_is_made()
    {
        // Site B has a web.pinned of the same shape but without hw:cpu_policy=dedicated.
        var impostor = await _t.AdminB.Compute.Flavors.CreateAsync(new CreateFlavorOptions { Name = "web.pinned", Vcpus = 2, Ram = 2048, Disk = 10 }, Ct);
        try
        {
            var run = await _t.RunAsync("drill");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
            var output = await StepOutputAsync(run["id"]!.GetValue<string>(), "ensure_flavor", "web.pinned");
            Assert.That(output["flavor_id"]!.GetValue<string>(), Is.Not.EqualTo(impostor.Id), "the same-named flavor without the extra specs is not used");
            Assert.That(output["created"]!.GetValue<bool>(), Is.True);
            Assert.That(output["mapped_from"]!.GetValue<string>(), Is.EqualTo("web.pinned"));
        }
        finally
        {
            await _t.AdminB.Compute.Flavors.DeleteAsync(impostor.Id, Ct);
        }
    }

    [Test]
    public async Task A_recovery_array_with_less_physical_free_space_than_the_tenants_virtual_size_still_recovers_it()
    {
        var arrays = (await _t.Service.SendAsync(HttpMethod.Get, "/v1/arrays", TenantInTheLab.Admin)).Body!["arrays"]!.AsArray();
        var arrayB = arrays.Single(a => a!["name"]!.GetValue<string>() == _t.Lab.SiteB.ArrayName)!["id"]!.GetValue<string>();
        var probe = (await _t.Service.SendAsync(HttpMethod.Post, $"/v1/arrays/{arrayB}/action", TenantInTheLab.Admin, new { probe = new { } })).Body!["probe"]!;
        var used = probe["used_bytes"]!.GetValue<long>();
        // 2 GiB physically free; the tenant's volumes are 48 GiB in size and hold a few MiB.
        await _t.Lab.FlashArray.Admin.SetCapacityAsync(_t.Lab.SiteB.ArrayName, used + (2L << 30), Ct);
        try
        {
            var run = await _t.RunAsync("drill");

            Assert.That(run["state"]!.GetValue<string>(), Is.EqualTo("succeeded"), TenantInTheLab.Describe(run));
        }
        finally
        {
            await _t.Lab.FlashArray.Admin.SetCapacityAsync(_t.Lab.SiteB.ArrayName, 1L << 50, Ct);
        }
    }
}
