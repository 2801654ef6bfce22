using Draas.OpenStack.Compute.Flavors;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the server's flavor exist at the recovery site: a same-named flavor is used only when it
/// matches exactly (vcpus, RAM, disk, ephemeral, swap and extra specs: a pinned or GPU flavor differs only
/// there); otherwise one is created with its extra specs, under a mapped name when the name is taken (a
/// drill's under its own prefix, removed at cleanup).</summary>
public sealed class EnsureFlavorStep : StepHandler<EnsureFlavorInput, EnsureFlavorOutput>
{
    public override string Kind => RunPlanner.EnsureFlavor;

    public override async Task<EnsureFlavorOutput> ExecuteAsync(StepContext c, EnsureFlavorInput input, CancellationToken ct)
    {
        var name = input.Name ?? c.Step.Target!;
        var (vcpus, ram, disk, ephemeral, swap) = (input.Vcpus, input.Ram, input.Disk, input.Ephemeral, input.Swap);
        var specs = input.ExtraSpecs ?? new Dictionary<string, string>();
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
            return new EnsureFlavorOutput(same.Id, same.Name, Created: false);

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
        return new EnsureFlavorOutput(flavor.Id, flavor.Name, Created: true, wanted == name ? null : name);
    }
}
