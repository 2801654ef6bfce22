namespace Draas.Api.Policy;

/// <summary>Who is asking (from the validated Keystone token).</summary>
public sealed record Credentials(string UserId, string? UserName, string? ProjectId, string? DomainId, IReadOnlyList<string> Roles)
{
    public string? Get(string key) => key switch
    {
        "user_id" => UserId,
        "project_id" => ProjectId,
        "domain_id" or "project_domain_id" => DomainId,
        _ => null,
    };
}

/// <summary>One evaluation: the caller, the target's attributes, and the named rules to resolve.</summary>
public sealed class PolicyContext(Credentials credentials, IReadOnlyDictionary<string, string?> target, IReadOnlyDictionary<string, PolicyRule> rules)
{
    private readonly HashSet<string> _evaluating = [];

    public Credentials Credentials { get; } = credentials;

    public IReadOnlyDictionary<string, string?> Target { get; } = target;

    public bool EvaluateNamed(string name)
    {
        // A rule that refers to itself, directly or not, fails closed instead of recursing forever.
        if (!rules.TryGetValue(name, out var rule) || !_evaluating.Add(name)) return false;
        try
        {
            return rule.Evaluate(this);
        }
        finally
        {
            _evaluating.Remove(name);
        }
    }
}
