using Draas.OpenStack.Compute.Keypairs;

namespace Draas.Workflows.Runs.Steps;

/// <summary>Makes the servers' keypair exist at the recovery site with the captured public key: for the
/// service user, who boots the servers (Nova takes a boot's key from the booting user), and for the tenant's
/// own user of the same name there (admin's <c>user_id</c> on create), so the tenant finds their key where it
/// was. A drill's copies carry its prefix and are removed at cleanup.</summary>
public sealed class EnsureKeypairStep : StepHandler<EnsureKeypairInput, EnsureKeypairOutput>
{
    public override string Kind => RunPlanner.EnsureKeypair;

    public override async Task<EnsureKeypairOutput> ExecuteAsync(StepContext c, EnsureKeypairInput input, CancellationToken ct)
    {
        var original = input.Name;
        var captured = c.Manifest.Keypairs.FirstOrDefault(k => k.Name == original) ?? throw new StepFailedException($"keypair {original} is not in the manifest");
        var nova = c.TargetProject.Compute;
        var keypairs = await nova.Keypairs.ListAsync(null, ct).ToListAsync(ct);
        var name = c.IsDrill ? $"{c.DrillPrefix}-{original}" : original;
        var existing = keypairs.FirstOrDefault(k => k.Name == name);
        var created = false;
        if (existing is not null && existing.PublicKey.Trim() != captured.PublicKey.Trim()) name = $"{original}-{RunNames.ArrayRunId(c.Run.Id)}";
        if (!keypairs.Any(k => k.Name == name))
        {
            await nova.Keypairs.ImportAsync(new ImportKeypairOptions { Name = name, PublicKey = captured.PublicKey, Type = captured.Type }, ct);
            created = true;
        }
        var (tenantUser, note, tenantCreated) = await ForTenantUserAsync(c, captured, name, ct);
        return new EnsureKeypairOutput(name, created, tenantUser, tenantCreated, note);
    }

    /// <summary>The same key for the tenant's user at the recovery site, found by name in the default domain.</summary>
    private static async Task<(string? UserId, string? Note, bool Created)> ForTenantUserAsync(StepContext c, Draas.Domain.Manifests.KeypairEntry captured, string name, CancellationToken ct)
    {
        if (captured.UserName is null) return (null, "the key's owner was not captured: only the service user has it", false);
        var admin = c.TargetAdmin;
        var user = await admin.Identity.ListUsersAsync(captured.UserName, null, ct).FirstOrDefaultAsync(ct);
        if (user is null) return (null, $"user {captured.UserName} does not exist at the recovery site: only the service user has the key", false);
        var service = (await admin.GetTokenInfoAsync(ct)).User.Id;
        if (user.Id == service) return (user.Id, null, false);
        var theirs = await admin.Compute.Keypairs.ListAsync(user.Id, ct).FirstOrDefaultAsync(k => k.Name == name, ct);
        if (theirs is null)
        {
            await admin.Compute.Keypairs.ImportAsync(new ImportKeypairOptions { Name = name, PublicKey = captured.PublicKey, Type = captured.Type, UserId = user.Id }, ct);
            return (user.Id, null, true);
        }
        if (theirs.PublicKey.Trim() != captured.PublicKey.Trim())
            return (user.Id, $"user {captured.UserName} already has another key named {name}: left as it is", false);
        return (user.Id, null, false);
    }
}
