using Draas.OpenStack.Compute.Keypairs;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the servers' keypair exist for the service user at the recovery site with the captured
/// public key (a drill's under its own prefix, removed at cleanup).</summary>
public sealed class EnsureKeypairStep : IStepHandler
{
    public string Kind => RunPlanner.EnsureKeypair;

    public async Task<object?> ExecuteAsync(StepContext c, CancellationToken ct)
    {
        var original = c.Required("name");
        var captured = c.Manifest.Keypairs.FirstOrDefault(k => k.Name == original) ?? throw new StepFailedException($"keypair {original} is not in the manifest");
        var nova = c.TargetProject.Compute;
        var keypairs = await nova.Keypairs.ListAsync(null, ct).ToListAsync(ct);
        var name = c.IsDrill ? $"{c.DrillPrefix}-{original}" : original;
        var existing = keypairs.FirstOrDefault(k => k.Name == name);
        if (existing is not null && existing.PublicKey.Trim() == captured.PublicKey.Trim()) return new { name, created = false };
        if (existing is not null) name = $"{original}-{RunNames.ArrayRunId(c.Run.Id)}";
        if (keypairs.Any(k => k.Name == name)) return new { name, created = false };
        await nova.Keypairs.ImportAsync(new ImportKeypairOptions { Name = name, PublicKey = captured.PublicKey }, ct);
        return new { name, created = true };
    }
}
