namespace Draas.Workflows.Runs.Steps;

/// <summary>A drill's cleanup: what it removes carries the drill's mark; its project the prefix.</summary>
public sealed record CleanupInput(string ProjectPrefix = "draas-drill-");

/// <summary>The replication groups (by name) a reprotect turns round.</summary>
public sealed record ReprotectInput(IReadOnlyList<string>? Groups = null);

/// <summary>Nothing to say: the step gives the primary back only when its run was cancelled.</summary>
public sealed record RestartPrimaryInput;

/// <summary>A drill's proof that it left the recovery site as it found it: what it removed, the tenant's project before and after.</summary>
public sealed record CleanupOutput(string Scope, Dictionary<string, List<string>> Removed, Inventory? InventoryBefore, Inventory? InventoryAfter, List<string> Differences, bool Clean);

/// <summary>A manual commit's rollback (planned by the decision, not the planner).</summary>
public sealed record RollbackInput;

public sealed record RollbackOutput(Dictionary<string, List<string>> Removed, PrimaryGivenBack Primary, List<string> Left, List<string> Problems, bool Clean, string Reason);

/// <summary>The primary's servers started again and replication sources made writable again (each as <see cref="RecoveryUndo"/> reports it).</summary>
public sealed record PrimaryGivenBack(string Site, IReadOnlyList<object> Restarted, IReadOnlyList<object> Groups);

public sealed record RestartPrimaryOutput(
    IReadOnlyList<object> Restarted,
    IReadOnlyList<object> Groups,
    Dictionary<string, List<string>>? RecoverySite = null,
    string? Reason = null,
    List<string>? Problems = null);

/// <summary>The plan turned round (or <paramref name="Already"/> by an earlier attempt): old id → recovered id of its
/// volumes and servers, the arrays' changes, and the stale copies left at the site it left.</summary>
public sealed record ReprotectOutput(
    bool? Already = null,
    string? State = null,
    Guid? FromRun = null,
    bool? Reversed = null,
    string? RunsAt = null,
    Dictionary<string, string>? Volumes = null,
    Dictionary<string, string>? Servers = null,
    List<string>? Changes = null,
    object? Stale = null);
