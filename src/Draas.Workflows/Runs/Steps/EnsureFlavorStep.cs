using Draas.OpenStack.Compute.Flavors;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the server's flavor exist at the recovery site: the same name and shape is used as it is;
/// otherwise it is created with its extra specs (a drill's under its own prefix, removed at cleanup).</summary>
public sealed class EnsureFlavorStep : IStepHandler
{
    public string Kind => RunPlanner.EnsureFlavor;

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var name = c.Input["name"]?.GetValue<string>() ?? c.Step.Target!;
        var vcpus = c.Input["vcpus"]!.GetValue<int>();
        var ram = c.Input["ram"]!.GetValue<int>();
        var disk = c.Input["disk"]!.GetValue<int>();
        var nova = c.TargetAdmin.Compute;
        var flavors = await nova.Flavors.ListAsync(true, ct).ToListAsync(ct);
        bool Fits(Flavor f) => f.Vcpus == vcpus && f.Ram == ram && f.Disk == disk;

        var same = flavors.FirstOrDefault(f => f.Name == name && Fits(f));
        if (same is not null) return new { flavor_id = same.Id, name = same.Name, created = false };

        // A drill's flavor carries the drill's prefix; a real recovery keeps the name unless it is taken.
        var wanted = c.IsDrill ? $"{c.DrillPrefix}-{name}" : flavors.Any(f => f.Name == name) ? $"{name}-{RunNames.ArrayRunId(c.Run.Id)}" : name;
        var mine = flavors.FirstOrDefault(f => f.Name == wanted && Fits(f));
        var flavor = mine ?? await nova.Flavors.CreateAsync(new CreateFlavorOptions
        {
            Name = wanted,
            Vcpus = vcpus,
            Ram = ram,
            Disk = disk,
            Description = $"recreated by DRaaS run {c.Run.Id}",
        }, ct);
        var specs = c.Input["extra_specs"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        if (specs.Count > 0) await nova.Flavors.SetExtraSpecsAsync(flavor.Id, specs, ct);
        return new { flavor_id = flavor.Id, name = flavor.Name, created = true };
    }
}
