using Draas.OpenStack.Compute.Flavors;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the server's flavor exist at the recovery site: a same-named flavor is used only when it
/// matches exactly (vcpus, RAM, disk, ephemeral, swap and extra specs: a pinned or GPU flavor differs only
/// there); otherwise one is created with its extra specs, under a mapped name when the name is taken (a
/// drill's under its own prefix, removed at cleanup).</summary>
public sealed class EnsureFlavorStep : IStepHandler
{
    public string Kind => RunPlanner.EnsureFlavor;

    public IReadOnlyList<string> ReadsOutputsOf => [];

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var name = c.Input["name"]?.GetValue<string>() ?? c.Step.Target!;
        var vcpus = c.Input["vcpus"]!.GetValue<int>();
        var ram = c.Input["ram"]!.GetValue<int>();
        var disk = c.Input["disk"]!.GetValue<int>();
        var ephemeral = c.Input["ephemeral"]?.GetValue<int>() ?? 0;
        var swap = c.Input["swap"]?.GetValue<int>() ?? 0;
        var specs = c.Input["extra_specs"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        var nova = c.TargetAdmin.Compute;
        var flavors = await nova.Flavors.ListAsync(true, ct).ToListAsync(ct);
        bool Shaped(Flavor f) => f.Vcpus == vcpus && f.Ram == ram && f.Disk == disk && f.Ephemeral == ephemeral && f.Swap == swap;
        async Task<bool> Exact(Flavor f)
        {
            if (!Shaped(f)) return false;
            // Asked per flavor: a listing shows extra specs only from microversion 2.61, and not every cloud gives it.
            var theirs = await nova.Flavors.GetExtraSpecsAsync(f.Id, ct);
            return theirs.Count == specs.Count && specs.All(s => theirs.TryGetValue(s.Key, out var v) && v == s.Value);
        }

        if (flavors.FirstOrDefault(f => f.Name == name) is { } same && await Exact(same))
            return new { flavor_id = same.Id, name = same.Name, created = false };

        // A drill's flavor carries the drill's prefix; a real recovery keeps the name unless it is taken by another shape.
        var wanted = c.IsDrill ? $"{c.DrillPrefix}-{name}" : flavors.Any(f => f.Name == name) ? $"{name}-{RunNames.ArrayRunId(c.Run.Id)}" : name;
        var description = $"recreated by DRaaS run {c.Run.Id}";
        // An earlier attempt of this step may have created it and stopped before its extra specs were set.
        var flavor = flavors.FirstOrDefault(f => f.Name == wanted && Shaped(f) && f.Description == description) ?? await nova.Flavors.CreateAsync(new CreateFlavorOptions
        {
            Name = wanted,
            Vcpus = vcpus,
            Ram = ram,
            Disk = disk,
            Ephemeral = ephemeral == 0 ? null : ephemeral,
            Swap = swap == 0 ? null : swap,
            Description = description,
        }, ct);
        if (specs.Count > 0) await nova.Flavors.SetExtraSpecsAsync(flavor.Id, specs, ct);
        return new { flavor_id = flavor.Id, name = flavor.Name, created = true, mapped_from = wanted == name ? null : name };
    }
}
